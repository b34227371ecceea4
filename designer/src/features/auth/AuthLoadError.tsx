import { Button, Result } from 'antd';
import { errorMessage } from '../../api/client';

/** The sign-in state could not be had: antd's Result, loaded only then (the first screen has no antd, decision 040). */
export default function AuthLoadError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <div className="page-center">
      <Result
        status="error"
        title="无法获取登录状态"
        subTitle={errorMessage(error)}
        extra={
          <Button type="primary" onClick={onRetry}>
            重试
          </Button>
        }
      />
    </div>
  );
}
