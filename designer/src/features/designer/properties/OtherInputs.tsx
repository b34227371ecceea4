import { Button, Collapse, Form, Input, Space } from 'antd';
import { useState, type ReactNode } from 'react';
import { removeInput, setLiteral, type ActivityNode } from '../../../shared/flow';
import { JsonInput } from './editors';
import type { SetInput } from './inputs/types';

/** Inputs no section edits: raw `{ typeName, expression }` JSON, so nothing is out of reach. */
export function OtherInputs({
  activity,
  names,
  readOnly,
  set,
  open,
}: {
  activity: ActivityNode;
  names: string[];
  readOnly?: boolean;
  set: SetInput;
  /** Open at first: the type declares nothing, so these are all there is. */
  open: boolean;
}) {
  const [newName, setNewName] = useState('');
  const reserved = ['id', 'type', 'name', 'metadata'];
  const items: { key: string; label: ReactNode; children: ReactNode }[] = [
    {
      key: 'other',
      label: `其他参数${names.length ? `（${names.length}）` : ''}`,
      children: (
        <div className="other-inputs">
          {names.map((name) => (
            <Form.Item key={name} label={name}>
              <JsonInput
                ariaLabel={`参数 ${name}`}
                value={activity[name]}
                disabled={readOnly}
                onChange={(v) =>
                  set(v === undefined ? removeInput(activity, name) : { ...activity, [name]: v }, `other:${name}`)
                }
              />
            </Form.Item>
          ))}
          <Space.Compact block>
            <Input
              aria-label="新参数名"
              placeholder="参数名"
              value={newName}
              disabled={readOnly}
              onChange={(e) => setNewName(e.target.value.trim())}
            />
            <Button
              disabled={readOnly || newName === '' || reserved.includes(newName) || newName in activity}
              onClick={() => {
                set(setLiteral(activity, newName, ''), `other:${newName}`);
                setNewName('');
              }}
            >
              添加
            </Button>
          </Space.Compact>
        </div>
      ),
    },
  ];
  return (
    <Collapse
      ghost
      size="small"
      items={items}
      className="property-panel__other"
      defaultActiveKey={names.length && open ? ['other'] : []}
    />
  );
}
