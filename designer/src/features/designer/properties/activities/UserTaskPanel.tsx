import { getLiteral } from '../../../../shared/flow';
import { DeclaredInputs } from '../DeclaredInputs';
import type { ActivityPanelProps } from './types';

/** 人工办理: the person to hand a step nobody is found for is asked only when 找不到办理人时 says 转交指定人员. */
export function UserTaskPanel({ activity, inputs, context, set }: ActivityPanelProps) {
  const toUser = getLiteral<string>(activity, 'noAssignee') === 'user';
  return (
    <DeclaredInputs
      activity={activity}
      inputs={inputs.filter((i) => toUser || i.name !== 'noAssigneeUser')}
      context={context}
      set={set}
    />
  );
}
