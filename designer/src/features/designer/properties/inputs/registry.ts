import type { ComponentType } from 'react';
import { AssigneeInput } from './AssigneeInput';
import { CheckboxInput } from './CheckboxInput';
import { ConditionInput } from './ConditionInput';
import { ChoiceInput } from './ChoiceInput';
import { DeadlineInput } from './DeadlineInput';
import { DurationField } from './DurationField';
import { FieldPermissionsInput } from './FieldPermissionsInput';
import { FormPickerInput } from './FormPickerInput';
import { JsonField } from './JsonField';
import { NameListInput } from './NameListInput';
import { OutcomeSubsetInput } from './OutcomeSubsetInput';
import { OutcomesInput } from './OutcomesInput';
import { ProcedurePickerInput } from './ProcedurePickerInput';
import { ScriptInput } from './ScriptInput';
import { SwitchCasesInput } from './SwitchCasesInput';
import { TextInput } from './TextInput';
import { TextOrScriptField } from './TextOrScriptField';
import type { InputEditorProps } from './types';
import { UnitPickerInput } from './UnitPickerInput';
import { UserPickerInput } from './UserPickerInput';

/**
 * The editor for each UI hint the engine declares (src/Duban.Engine/Activities/ActivityInputs.cs, InputHints). A new
 * editor (the no-code designer's condition builder, ladder, numbering pattern …) is one file here and one line below;
 * until a hint has one, its inputs are edited as JSON.
 */
const EDITORS: Record<string, ComponentType<InputEditorProps>> = {
  singleLine: TextInput,
  multiLine: TextInput,
  checkbox: CheckboxInput,
  radio: ChoiceInput,
  dropdown: ChoiceInput,
  script: ScriptInput,
  conditionBuilder: ConditionInput,
  textOrScript: TextOrScriptField,
  duration: DurationField,
  nameList: NameListInput,
  outcomes: OutcomesInput,
  outcomeSubset: OutcomeSubsetInput,
  assigneeRule: AssigneeInput,
  formPicker: FormPickerInput,
  fieldPermissions: FieldPermissionsInput,
  deadline: DeadlineInput,
  switchCases: SwitchCasesInput,
  unitPicker: UnitPickerInput,
  userPicker: UserPickerInput,
  procedurePicker: ProcedurePickerInput,
  json: JsonField,
};

export function editorFor(uiHint: string): ComponentType<InputEditorProps> {
  return EDITORS[uiHint] ?? JsonField;
}
