import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Form } from 'antd';
import type { EditorProps } from './FieldEditor';
import { FieldEditor } from './FieldEditor';
import { FieldDisplay } from './FieldDisplay';
import { errorsAt, errorsUnder } from './logic';

type Row = Record<string, unknown>;

/** A sub-table (rows of columns) as a list of row cards: readable at phone width, each cell with its own errors. */
export function TableEditor({
  field,
  id,
  value,
  onChange,
  disabled,
  directory,
  directoryLoading,
  locked,
  instanceId,
  errors,
  path,
}: EditorProps) {
  const rows: Row[] = Array.isArray(value) ? (value as Row[]) : [];
  const lockedCount = Array.isArray(locked) ? locked.length : 0;
  const columns = field.columns ?? [];

  const setRows = (next: Row[]) => onChange(next.length > 0 ? next : null);
  const setCell = (index: number, key: string, cell: unknown) =>
    setRows(rows.map((row, i) => (i === index ? { ...row, [key]: cell } : row)));

  return (
    <div className="form-table-editor" id={id} role="group" aria-label={field.label}>
      {rows.length === 0 && <div className="form-empty">暂无数据</div>}
      {rows.map((row, index) => {
        const rowLocked = index < lockedCount;
        const rowPath = `${path}[${index}]`;
        const rowErrors = errorsAt(errors, rowPath);
        return (
          <fieldset key={index} className="form-table-row" aria-label={`${field.label}第${index + 1}行`}>
            <legend className="form-table-row-head">
              <span>第 {index + 1} 行</span>
              {!disabled && !rowLocked && (
                <Button
                  type="text"
                  size="small"
                  danger
                  icon={<DeleteOutlined aria-hidden />}
                  onClick={() => setRows(rows.filter((_, i) => i !== index))}
                  aria-label={`删除第${index + 1}行`}
                />
              )}
            </legend>
            {rowErrors.length > 0 && <div className="form-table-row-error">{rowErrors.join('；')}</div>}
            <div className="form-table-cells">
              {columns.map((column) => {
                const cellPath = `${rowPath}.${column.key}`;
                const cellErrors = errorsUnder(errors, cellPath);
                const cellId = `${id}-${index}-${column.key}`;
                return (
                  <Form.Item
                    key={column.key}
                    label={column.label}
                    htmlFor={cellId}
                    required={!!column.required && !rowLocked}
                    validateStatus={cellErrors.length > 0 ? 'error' : undefined}
                    help={cellErrors.length > 0 ? cellErrors.join('；') : undefined}
                    className="form-table-cell"
                  >
                    {rowLocked || disabled || column.type === 'computed' ? (
                      <FieldDisplay field={column} value={row?.[column.key]} directory={directory} />
                    ) : (
                      <FieldEditor
                        field={column}
                        id={cellId}
                        value={row?.[column.key]}
                        onChange={(cell) => setCell(index, column.key, cell)}
                        invalid={cellErrors.length > 0}
                        directory={directory}
                        directoryLoading={directoryLoading}
                        instanceId={instanceId}
                        errors={errors}
                        path={cellPath}
                      />
                    )}
                  </Form.Item>
                );
              })}
            </div>
          </fieldset>
        );
      })}
      {!disabled && (
        <Button icon={<PlusOutlined aria-hidden />} onClick={() => setRows([...rows, {}])} block type="dashed">
          添加一行
        </Button>
      )}
    </div>
  );
}
