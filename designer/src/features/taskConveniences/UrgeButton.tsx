import { BellOutlined } from '@ant-design/icons';
import { App as AntdApp, Button } from 'antd';
import { useState } from 'react';
import { errorMessage, isApiError } from '../../api/client';
import type { CurrentUser, TaskSummary } from '../../api/types';
import { can } from '../../app/navigation';
import { conveniencesApi } from './conveniencesApi';

/** Whether to offer 催办 on an open step: it is overdue (red) and the viewer started the item or works in the office. */
export function mayUrge(
  task: Pick<TaskSummary, 'light' | 'kind' | 'status'>,
  user: CurrentUser | null,
  initiatorName: string | null,
): boolean {
  if (!user || task.kind !== 'task' || task.status !== 'open' || task.light !== 'red') return false;
  return can(user, 'supervise') || (initiatorName !== null && initiatorName === user.displayName);
}

/**
 * 一键催办 on an overdue step: raises the organization's first rung against the unit holding it. The server decides
 * (409 when not overdue or already chased at that rung): its message is shown as it is.
 */
export function UrgeButton({ taskId, onDone }: { taskId: string; onDone: () => void }) {
  const { message } = AntdApp.useApp();
  const [busy, setBusy] = useState(false);
  const urge = async () => {
    setBusy(true);
    try {
      const result = await conveniencesApi.urge(taskId);
      message.success(`已${result.rungName}：${result.unitName}`);
      onDone();
    } catch (error) {
      if (isApiError(error) && (error.status === 409 || error.status === 403)) message.warning(error.message, 5);
      else message.error(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button size="small" danger icon={<BellOutlined aria-hidden />} loading={busy} onClick={urge}>
      催办
    </Button>
  );
}
