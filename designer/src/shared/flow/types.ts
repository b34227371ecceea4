import type { components } from '../../api/schema';
import type { FormDefinition } from '../forms/types';

/**
 * The procedure definition JSON as the server stores it (src/Duban.Engine/Definitions/WorkflowDefinition.cs),
 * Elsa-3-shaped: `root.activities` whose inputs are `{ typeName, expression: { type, value } }` and
 * `root.connections` from an activity's outcome port to the next activity.
 *
 * The designer must not lose what it does not understand (inputs of activity types added later, another
 * tool's bookkeeping), so every object keeps unknown properties through an index signature.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type ExpressionType = 'Literal' | 'JavaScript';

export interface Expression {
  type: ExpressionType | string;
  value: JsonValue | undefined;
}

export interface ActivityInput {
  typeName: string;
  expression: Expression | null;
  [extra: string]: unknown;
}

export interface DesignerMetadata {
  position?: { x: number; y: number };
  [extra: string]: unknown;
}

/**
 * One node. `id`, `type`, `name` and `metadata` are its own; every other property is an input
 * (or, for imported files, another tool's bookkeeping such as Elsa's `"version": 1`, kept as is).
 */
export interface ActivityNode {
  id: string;
  type: string;
  name?: string | null;
  metadata?: ({ designer?: DesignerMetadata } & Record<string, unknown>) | null;
  [input: string]: unknown;
}

export interface Endpoint {
  activity: string;
  port?: string | null;
  [extra: string]: unknown;
}

export interface Connection {
  source: Endpoint;
  target: Endpoint;
  [extra: string]: unknown;
}

export interface Flowchart {
  type?: string;
  id?: string;
  activities: ActivityNode[];
  connections: Connection[];
  [extra: string]: unknown;
}

// Forms travel inside the definition; their shape is the form renderer's (shared/forms/types.ts). Properties
// not declared there are still kept: the designers copy objects, never rebuild them field by field.
export type { FieldOption, FieldPermission, FormDefinition, FormField } from '../forms/types';
export interface VariableDefinition {
  name: string;
  typeName?: string;
  value?: JsonValue;
  [extra: string]: unknown;
}

export interface WorkflowDefinition {
  definitionId: string;
  name: string;
  description?: string | null;
  version?: number;
  variables?: VariableDefinition[] | null;
  forms?: FormDefinition[] | null;
  root: Flowchart;
  options?: JsonObject | null;
  [extra: string]: unknown;
}

/** What GET /api/activities says about an activity type, its inputs included (the engine's ActivityDescriptor). */
export type ActivityDescriptor = components['schemas']['ActivityDescriptor'];
/** One input an activity declares: the property panel edits it with the editor its `uiHint` names. */
export type ActivityInputDescriptor = components['schemas']['ActivityInputDescriptor'];

/** DefinitionVersionDto. */
export interface DefinitionVersion {
  id: string;
  definitionId: string;
  version: number;
  name: string;
  isPublished: boolean;
  isLatest: boolean;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  updatedBy: string | null;
}

/** GET /api/definitions/{id}: DefinitionDocument. */
export interface DefinitionDocument {
  meta: DefinitionVersion;
  definition: WorkflowDefinition;
}

/** A problem that blocks publishing; `activityId` null = the whole definition. */
export interface DefinitionValidationError {
  activityId: string | null;
  message: string;
}

export interface ValidationReport {
  valid: boolean;
  errors: DefinitionValidationError[];
}
