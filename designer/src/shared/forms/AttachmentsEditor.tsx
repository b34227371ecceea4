import { DeleteOutlined, UploadOutlined } from '@ant-design/icons';
import { App as AntdApp, Button, Progress, Upload } from 'antd';
import { useLayoutEffect, useRef, useState } from 'react';
import { useQuery } from '../useQuery';
import { errorMessage } from '../../api/client';
import { checkFile, formatSize, loadAttachmentLimits, toRef, uploadAttachment } from './attachments';
import { AttachmentLinks } from './FieldDisplay';
import type { AttachmentRef } from './types';

interface Props {
  id: string;
  label: string;
  value: AttachmentRef[];
  /** Attachments that were there before and may not be removed (append-only). */
  locked: AttachmentRef[];
  onChange: (value: AttachmentRef[] | null) => void;
  disabled?: boolean;
  instanceId?: string;
}

interface Uploading {
  uid: string;
  name: string;
  percent: number;
}

/** Upload, list, download and remove the files of an attachments field. */
export function AttachmentsEditor({ id, label, value, locked, onChange, disabled, instanceId }: Props) {
  const { message } = AntdApp.useApp();
  const [uploading, setUploading] = useState<Uploading[]>([]);
  // Uploads finish one by one; each adds to the latest list, not to the one the upload started with.
  const latest = useRef(value);
  useLayoutEffect(() => {
    latest.current = value;
  }, [value]);

  // Without them (a failure) the server still checks.
  const limits = useQuery(['attachment-limits'], () => loadAttachmentLimits()).data ?? null;

  const lockedIds = new Set(locked.map((a) => a.id));

  const remove = (attachmentId: string) => {
    const next = latest.current.filter((a) => a.id !== attachmentId);
    onChange(next.length > 0 ? next : null);
  };

  return (
    <div className="form-attachments-editor" id={id} role="group" aria-label={label}>
      {(value.length > 0 || disabled) && (
        <AttachmentLinks
          value={value}
          extra={(attachmentId) =>
            disabled || lockedIds.has(attachmentId) ? null : (
              <Button
                type="text"
                size="small"
                danger
                icon={<DeleteOutlined aria-hidden />}
                aria-label="移除附件"
                onClick={() => remove(attachmentId)}
              />
            )
          }
        />
      )}
      {uploading.map((u) => (
        <div key={u.uid} className="form-attachment-progress">
          <span className="form-attachment-name">{u.name}</span>
          <Progress percent={u.percent} size="small" status="active" />
        </div>
      ))}
      {!disabled && (
        <Upload
          multiple
          showUploadList={false}
          accept={limits?.allowedExtensions.join(',') || undefined}
          beforeUpload={(file) => {
            const problem = checkFile(file, limits);
            if (problem) {
              message.error(problem);
              return Upload.LIST_IGNORE;
            }
            return true;
          }}
          customRequest={({ file, onSuccess, onError }) => {
            const f = file as File & { uid: string };
            setUploading((list) => [...list, { uid: f.uid, name: f.name, percent: 0 }]);
            uploadAttachment(f, {
              instanceId,
              onProgress: (percent) =>
                setUploading((list) => list.map((u) => (u.uid === f.uid ? { ...u, percent } : u))),
            })
              .then((info) => {
                onChange([...latest.current, toRef(info)]);
                latest.current = [...latest.current, toRef(info)];
                onSuccess?.(info);
              })
              .catch((error: unknown) => {
                message.error(`「${f.name}」上传失败：${errorMessage(error)}`);
                onError?.(error as Error);
              })
              .finally(() => setUploading((list) => list.filter((u) => u.uid !== f.uid)));
          }}
        >
          <Button icon={<UploadOutlined aria-hidden />}>上传附件</Button>
        </Upload>
      )}
      {!disabled && limits && (
        <div className="form-attachment-limits">
          单个文件不超过 {formatSize(limits.maxBytes)}
          {limits.allowedExtensions.length > 0 ? `；支持 ${limits.allowedExtensions.join(' ')}` : ''}
        </div>
      )}
    </div>
  );
}
