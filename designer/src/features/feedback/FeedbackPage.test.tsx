import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it } from 'vitest';
import { calledUrls, mockFetch } from '../../test/fetchMock';
import { renderApp } from '../../test/renderApp';
import type { FeedbackView } from './feedbackApi';

beforeAll(() => import('./FeedbackPage'), 60000);

const unauthorized = { status: 401, body: { title: 'Unauthorized', status: 401 } };
const token = 'CfDJ8token';
const path = `/api/public/feedback/${token}`;

const view: FeedbackView = {
  itemTitle: '代表建议第0123号：关于加强基层公共法律服务体系建设的建议',
  itemNumber: '建提〔2026〕3号',
  respondentName: '王代表',
  question: '提出人满意度',
  choices: [
    { value: 'satisfied', label: '满意' },
    { value: 'basic', label: '基本满意' },
    { value: 'dissatisfied', label: '不满意' },
  ],
  noteLabel: '提出人意见',
  details: [
    { label: '主办单位', value: '法制处' },
    { label: '答复类别', value: 'A类：所提问题已经解决或基本解决' },
  ],
  expiresAt: '2026-04-17T01:00:00Z',
};

describe('在线征询页', () => {
  it('shows the item and the question without signing in, and sends the answer once', async () => {
    const fetchFn = mockFetch({
      'GET /api/auth/me': unauthorized,
      [`GET ${path}`]: { body: view },
      [`POST ${path}`]: { status: 204 },
    });
    const user = userEvent.setup({ delay: null });
    renderApp(`/feedback/${token}`);

    expect(await screen.findByRole('heading', { name: view.itemTitle })).toBeInTheDocument();
    expect(screen.getByText(/尊敬的王代表/)).toBeInTheDocument();
    expect(screen.getByText('建提〔2026〕3号')).toBeInTheDocument();
    expect(screen.getByText('A类：所提问题已经解决或基本解决')).toBeInTheDocument();

    // Nothing chosen: the form says so and nothing is sent.
    await user.click(screen.getByRole('button', { name: '提交评价' }));
    expect(await screen.findByText('请选择您的评价')).toBeInTheDocument();
    expect(fetchFn.mock.calls.filter(([, init]) => init?.method === 'POST')).toHaveLength(0);

    await user.click(screen.getByText('基本满意'));
    await user.type(screen.getByLabelText('提出人意见'), '希望加快偏远乡镇建设进度');
    await user.click(screen.getByRole('button', { name: '提交评价' }));

    expect(await screen.findByText('提交成功')).toBeInTheDocument();
    const post = fetchFn.mock.calls.find(([url, init]) => String(url) === path && init?.method === 'POST')!;
    expect(JSON.parse(String(post[1]?.body))).toEqual({ choice: 'basic', note: '希望加快偏远乡镇建设进度' });
    expect(calledUrls(fetchFn, '/login')).toHaveLength(0);
  });

  it('says when the link no longer works', async () => {
    mockFetch({
      'GET /api/auth/me': unauthorized,
      [`GET ${path}`]: {
        status: 404,
        body: { title: '未找到', status: 404, detail: '征询链接无效或已过期，请与督查室联系' },
      },
    });
    renderApp(`/feedback/${token}`);
    expect(await screen.findByText('链接无效或已过期')).toBeInTheDocument();
    expect(screen.getByText('征询链接无效或已过期，请与督查室联系')).toBeInTheDocument();
  });

  it('says the consultation is over when the answer was already given', async () => {
    mockFetch({
      'GET /api/auth/me': unauthorized,
      [`GET ${path}`]: { body: view },
      [`POST ${path}`]: {
        status: 410,
        body: { title: '征询已结束', status: 410, detail: '该征询已完成或已结束，感谢您的关注' },
      },
    });
    const user = userEvent.setup({ delay: null });
    renderApp(`/feedback/${token}`);
    await user.click(await screen.findByText('满意'));
    await user.click(screen.getByRole('button', { name: '提交评价' }));
    expect(await screen.findByText('征询已结束')).toBeInTheDocument();
  });

  it('shows a refused choice next to the question', async () => {
    mockFetch({
      'GET /api/auth/me': unauthorized,
      [`GET ${path}`]: { body: view },
      [`POST ${path}`]: {
        status: 400,
        body: {
          title: '提交的数据有误',
          status: 400,
          detail: '表单填写有误',
          errors: { choice: ['「提出人满意度」的选项「x」不存在'] },
        },
      },
    });
    const user = userEvent.setup({ delay: null });
    renderApp(`/feedback/${token}`);
    await user.click(await screen.findByText('不满意'));
    await user.click(screen.getByRole('button', { name: '提交评价' }));
    expect(await screen.findByText('「提出人满意度」的选项「x」不存在')).toBeInTheDocument();
    expect(screen.queryByText('提交成功')).not.toBeInTheDocument();
  });
});
