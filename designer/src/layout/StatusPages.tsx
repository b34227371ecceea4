import { Button, Result } from 'antd';
import { isRouteErrorResponse, useNavigate, useRouteError } from 'react-router';

export function NotFoundPage() {
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title="页面不存在"
      subTitle="您访问的页面不存在或已被移除。"
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          返回待办
        </Button>
      }
    />
  );
}

export function ForbiddenPage() {
  const navigate = useNavigate();
  return (
    <Result
      status="403"
      title="无权访问"
      subTitle="您的角色没有访问此页面的权限。"
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          返回待办
        </Button>
      }
    />
  );
}

/** Shown when a route throws, e.g. a code-split chunk failed to load after a deployment. */
export function RouteErrorPage() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <div className="page-center">
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? '页面不存在' : '页面加载失败'}
        subTitle={notFound ? undefined : '可能是系统已更新或网络中断，请刷新页面重试。'}
        extra={
          <Button type="primary" onClick={() => window.location.reload()}>
            刷新页面
          </Button>
        }
      />
    </div>
  );
}
