import { javascript } from '@codemirror/lang-javascript';
import { linter, lintGutter, type Diagnostic } from '@codemirror/lint';
import CodeMirror, { EditorView } from '@uiw/react-codemirror';
import { Typography } from 'antd';
import { useMemo } from 'react';
import { checkScriptSyntax } from './syntax';

export interface ScriptEditorProps {
  value: string;
  onChange: (value: string) => void;
  /** What the script can read, shown under the editor. */
  hint?: string;
  placeholder?: string;
  minHeight?: number;
  readOnly?: boolean;
  'aria-label'?: string;
  id?: string;
}

const scriptLinter = linter(
  (view): Diagnostic[] => {
    const source = view.state.doc.toString();
    if (source.trim() === '') return [];
    const problem = checkScriptSyntax(source);
    if (!problem) return [];
    const from = Math.min(problem.at, source.length);
    return [{ from, to: Math.min(source.length, from + 1), severity: 'error', message: problem.message }];
  },
  { delay: 250 },
);

/**
 * A JavaScript editor for conditions and scripts: syntax highlighting, and a syntax check as you type
 * (the same strict-mode parse the server does before publishing), with the problem written under the editor.
 */
export function ScriptEditor({
  value,
  onChange,
  hint,
  placeholder,
  minHeight = 64,
  readOnly,
  id,
  ...rest
}: ScriptEditorProps) {
  const extensions = useMemo(() => [javascript(), scriptLinter, lintGutter(), EditorView.lineWrapping], []);
  const problem = value.trim() === '' ? null : checkScriptSyntax(value);
  return (
    <div
      className={`script-editor${problem ? ' script-editor--invalid' : ''}`}
      data-testid={id ? `script-${id}` : undefined}
    >
      <CodeMirror
        value={value}
        onChange={onChange}
        extensions={extensions}
        placeholder={placeholder}
        readOnly={readOnly}
        editable={!readOnly}
        basicSetup={{ lineNumbers: false, foldGutter: false, highlightActiveLine: false, autocompletion: false }}
        minHeight={`${minHeight}px`}
        aria-label={rest['aria-label']}
        id={id}
      />
      {problem ? (
        <Typography.Text type="danger" className="script-editor__message" role="alert">
          语法错误：{problem.message}
        </Typography.Text>
      ) : (
        hint && (
          <Typography.Text type="secondary" className="script-editor__message">
            {hint}
          </Typography.Text>
        )
      )}
    </div>
  );
}

export default ScriptEditor;
