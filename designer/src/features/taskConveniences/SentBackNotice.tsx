import { Alert } from 'antd';
import { formatDateTime } from '../../shared/format';
import { useQuery } from '../../shared/useQuery';
import { conveniencesApi, type SentBackNote } from './conveniencesApi';

/** The reason and the opinions of a send-back, as the one who redoes the step reads them. */
export function SentBackContent({ note }: { note: SentBackNote }) {
  return (
    <div className="sent-back" data-testid="sent-back">
      <div>
        {note.byName ?? '审核人'}于 {formatDateTime(note.at)} 在「{note.fromStep}」退回
        {note.direct ? '，重新提交后将直接回到该环节' : ''}。
      </div>
      {note.reason && (
        <div>
          <strong>退回理由：</strong>
          {note.reason}
        </div>
      )}
      {note.opinions.map((o) => (
        <div key={o.key}>
          <strong>{o.label}：</strong>
          {o.text}
        </div>
      ))}
    </div>
  );
}

/** On a task page: when this step was sent back to be redone, what the reviewer said. Nothing otherwise. */
export function SentBackNotice({ taskId }: { taskId: string }) {
  const { data } = useQuery(['sent-back', taskId], (signal) => conveniencesApi.sentBack(taskId, signal));
  const note = data?.note;
  if (!note) return null;
  return (
    <Alert
      className="page-alert"
      type="warning"
      showIcon
      message="退回重办"
      description={<SentBackContent note={note} />}
    />
  );
}
