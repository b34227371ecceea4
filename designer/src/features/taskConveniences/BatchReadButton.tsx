import { CheckSquareOutlined } from '@ant-design/icons';
import { Alert, App as AntdApp, Button } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../../api/client';
import type { TaskSummary } from '../../api/types';
import { conveniencesApi, describeBatch } from './conveniencesApi';

interface Props {
  selected: TaskSummary[];
  /** After the request: the selection is cleared and the list reloaded. */
  onDone: () => void;
}

/**
 * 批量已阅: confirms the selected 阅知 notices in one action. Each is confirmed on its own on the server; one already
 * read (by a colleague of the same unit) or no longer open is listed with the reason, and the others are read.
 */
export function BatchReadButton({ selected, onDone }: Props) {
  const { message } = AntdApp.useApp();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string[]>([]);
  const run = async () => {
    setBusy(true);
    try {
      const result = await conveniencesApi.readBatch(selected.map((t) => t.id));
      const { text, failed: notRead } = describeBatch(
        result,
        Object.fromEntries(selected.map((t) => [t.id, t.itemTitle])),
      );
      if (notRead.length === 0) message.success(text);
      else message.warning(text);
      setFailed(notRead);
      onDone();
    } catch (error) {
      message.error(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="batch-read">
      <Button
        type="primary"
        icon={<CheckSquareOutlined aria-hidden />}
        disabled={selected.length === 0}
        loading={busy}
        onClick={run}
      >
        批量已阅{selected.length > 0 ? `（${selected.length}）` : ''}
      </Button>
      {failed.length > 0 && (
        <Alert
          className="batch-read-failed"
          type="warning"
          showIcon
          closable
          onClose={() => setFailed([])}
          message="以下阅知事项未能确认"
          description={
            <ul>
              {failed.map((f) => (
                <li key={f}>{f}</li>
              ))}
            </ul>
          }
        />
      )}
    </div>
  );
}
