import { render, renderHook, screen } from '@testing-library/react';
import { Form, Input, type FormInstance } from 'antd';
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { mapServerErrors, toNamePath } from './formErrors';

describe('toNamePath', () => {
  it('reads dotted names, list indexes and the JSON path prefix', () => {
    expect(toNamePath('record.phone')).toEqual(['record', 'phone']);
    expect(toNamePath('rungs[2].name')).toEqual(['rungs', 2, 'name']);
    expect(toNamePath('$.rungs[2].notice.title')).toEqual(['rungs', 2, 'notice', 'title']);
    expect(toNamePath('UserName')).toEqual(['UserName']);
  });
});

function TestForm({ form }: { form: FormInstance }) {
  return (
    <Form form={form}>
      <Form.Item name="userName" label="用户名">
        <Input />
      </Form.Item>
      <Form.Item name={['record', 'phone']} label="电话">
        <Input />
      </Form.Item>
      <Form.Item name={['rungs', 2, 'name']} label="名称">
        <Input />
      </Form.Item>
    </Form>
  );
}

const problem = (errors: Record<string, string[]>) => new ApiError(400, { title: '提交的数据有误', errors });

describe('mapServerErrors', () => {
  it('puts nested, indexed and differently cased names beside their fields and returns the rest', async () => {
    const { result } = renderHook(() => Form.useForm());
    const [form] = result.current;
    render(<TestForm form={form} />);
    let rest: string[] = [];
    act(() => {
      rest = mapServerErrors(
        form,
        problem({
          UserName: ['用户名已被占用'],
          'Record.Phone': ['电话格式不正确'],
          '$.rungs[2].name': ['名称不能为空'],
          unitId: ['单位不存在'],
        }),
      );
    });
    expect(await screen.findByText('用户名已被占用')).toBeInTheDocument();
    expect(form.getFieldError(['record', 'phone'])).toEqual(['电话格式不正确']);
    expect(form.getFieldError(['rungs', 2, 'name'])).toEqual(['名称不能为空']);
    expect(rest).toEqual(['单位不存在']);

    // A later answer clears what no longer applies.
    act(() => {
      rest = mapServerErrors(form, problem({ userName: ['用户名过长'] }));
    });
    expect(form.getFieldError(['record', 'phone'])).toEqual([]);
    expect(form.getFieldError('userName')).toEqual(['用户名过长']);
    expect(rest).toEqual([]);
  });

  it('drops a server prefix the form lacks, and returns the message of a refusal that names no field', () => {
    const { result } = renderHook(() => Form.useForm());
    const [form] = result.current;
    render(<TestForm form={form} />);
    act(() => {
      mapServerErrors(form, problem({ 'form.userName': ['必填'] }), { stripPrefix: 'form.' });
    });
    expect(form.getFieldError('userName')).toEqual(['必填']);
    expect(mapServerErrors(form, new ApiError(409, { title: '冲突', detail: '数据已被他人修改' }))).toEqual([
      '数据已被他人修改',
    ]);
  });
});
