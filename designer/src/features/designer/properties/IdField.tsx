import { Form, Input } from 'antd';
import { useState } from 'react';

/** The node's id: renamed on blur or Enter (connections and the journal refer to it). */
export function IdField({
  id,
  onRename,
  disabled,
}: {
  id: string;
  onRename: (id: string) => string | null;
  disabled?: boolean;
}) {
  const [text, setText] = useState(id);
  const [problem, setProblem] = useState<string | null>(null);
  // Another node (or an undone rename): start from its id (adjusted while rendering, not in an effect).
  const [shownId, setShownId] = useState(id);
  if (id !== shownId) {
    setShownId(id);
    setText(id);
    setProblem(null);
  }
  const apply = () => {
    if (text === id) return;
    setProblem(onRename(text.trim()));
  };
  return (
    <Form.Item
      label="编号"
      validateStatus={problem ? 'error' : undefined}
      help={problem ?? '连线与办理记录用它指代本节点'}
    >
      <Input
        aria-label="节点编号"
        value={text}
        disabled={disabled}
        onChange={(e) => setText(e.target.value)}
        onBlur={apply}
        onPressEnter={apply}
      />
    </Form.Item>
  );
}
