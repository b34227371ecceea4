import { Button, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { errorMessage } from '../../api/client';
import { useAuth } from './AuthContext';

/** Renders its children only for a signed-in user; otherwise goes to /login. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { status, loadError, reload } = useAuth();
  const location = useLocation();

  if (status === 'loading') {
    return (
      <div className="page-center">
        <Spin size="large" tip="正在加载…">
          <div style={{ width: 120, height: 80 }} />
        </Spin>
      </div>
    );
  }

  if (status === 'anonymous') {
    if (loadError) {
      return (
        <div className="page-center">
          <Result
            status="error"
            title="无法获取登录状态"
            subTitle={errorMessage(loadError)}
            extra={
              <Button type="primary" onClick={reload}>
                重试
              </Button>
            }
          />
        </div>
      );
    }
    const from = location.pathname + location.search;
    return <Navigate to="/login" replace state={from !== '/' ? { from } : undefined} />;
  }

  return <>{children}</>;
}
