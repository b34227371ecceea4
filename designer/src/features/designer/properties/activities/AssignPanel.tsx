import { getLiteral } from '../../../../shared/flow';
import { DeclaredInputs } from '../DeclaredInputs';
import type { ActivityPanelProps } from './types';

/** 交办: the 主办 and 协办 units are set here only when 单位来源 is 在此设置 (else the previous step picks them). */
export function AssignPanel({ activity, inputs, context, set }: ActivityPanelProps) {
  const fromHere = (getLiteral<string>(activity, 'unitsFrom') ?? 'inputs') === 'inputs';
  return (
    <DeclaredInputs
      activity={activity}
      inputs={inputs.filter((i) => fromHere || (i.name !== 'lead' && i.name !== 'co'))}
      context={context}
      set={set}
    />
  );
}
