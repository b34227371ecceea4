import { Checkbox } from 'antd';
import { getLiteral, removeInput, setLiteral } from '../../../../shared/flow';
import type { InputEditorProps } from './types';

/** `checkbox`: on writes true; off removes the input (the engine's default is false). */
export function CheckboxInput({ activity, input, set }: InputEditorProps) {
  const { name } = input;
  return (
    <Checkbox
      checked={getLiteral<boolean>(activity, name) === true}
      onChange={(e) =>
        set(e.target.checked ? setLiteral(activity, name, true, 'Boolean') : removeInput(activity, name), name)
      }
    >
      {input.displayName}
    </Checkbox>
  );
}
