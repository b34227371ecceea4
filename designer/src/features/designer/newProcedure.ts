import type { WorkflowDefinition } from '../../shared/flow';

export const DEFINITION_ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;

/** A suggestion for a new procedure's id: proc-<date>-<random>. */
export function suggestDefinitionId(now = new Date(), random = Math.random()): string {
  const d = `${now.getFullYear()}${String(now.getMonth() + 1).padStart(2, '0')}${String(now.getDate()).padStart(2, '0')}`;
  return `proc-${d}-${Math.floor(random * 36 ** 4)
    .toString(36)
    .padStart(4, '0')}`;
}

/** A new procedure: a 开始 and an 结束 node, ready for steps between them. */
export function newProcedure(definitionId: string, name: string, description?: string): WorkflowDefinition {
  return {
    definitionId,
    name,
    description: description || null,
    variables: [],
    forms: [],
    root: {
      type: 'Duban.Flowchart',
      id: 'flowchart',
      activities: [
        { id: 'start', type: 'Duban.Start', name: '登记', metadata: { designer: { position: { x: 0, y: 0 } } } },
        {
          id: 'end',
          type: 'Duban.End',
          name: '办结',
          result: { typeName: 'String', expression: { type: 'Literal', value: '办结' } },
          metadata: { designer: { position: { x: 0, y: 360 } } },
        },
      ],
      connections: [],
    },
  };
}
