import { Form, Radio } from 'antd';
import { getInput, removeInput, setLiteral, setScript } from '../../../../shared/flow';
import { DeclaredInputs } from '../DeclaredInputs';
import type { ActivityPanelProps } from './types';

/** 定时等待: `duration` or `until`, one or the other — chosen first, then that one is edited. */
export function TimerPanel({ activity, inputs, context, set }: ActivityPanelProps) {
  const mode = getInput(activity, 'until') ? 'until' : 'duration';
  return (
    <>
      <Form.Item label="等待方式">
        <Radio.Group
          value={mode}
          onChange={(e) =>
            set(
              e.target.value === 'until'
                ? setScript(removeInput(activity, 'duration'), 'until', '', 'String')
                : setLiteral(removeInput(activity, 'until'), 'duration', 'P1D', 'String'),
              'timer-mode',
            )
          }
          options={[
            { value: 'duration', label: '等待一段时长' },
            { value: 'until', label: '等到某一时刻' },
          ]}
        />
      </Form.Item>
      <DeclaredInputs activity={activity} inputs={inputs.filter((i) => i.name === mode)} context={context} set={set} />
    </>
  );
}
