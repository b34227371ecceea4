import { request } from '../../api/client';
import type { components } from '../../api/schema';

type Schemas = components['schemas'];

/** GET /api/units row; `version` is sent back on save (a save based on an older version is refused with 409). */
export type Unit = Schemas['UnitDto'];

export type SaveUnit = Schemas['SaveUnitRequest'];

/** GET /api/users row. */
export type OrgUser = Schemas['UserDto'];

export type SaveUser = Schemas['SaveUserRequest'];

/** 安全策略: the roles that must sign in with a second factor (decision 046). */
export type SecurityPolicy = Schemas['SecurityPolicyDto'];

export const orgApi = {
  units: (signal?: AbortSignal) => request<Unit[]>('GET', '/api/units', { signal }),
  createUnit: (unit: SaveUnit) => request<Unit>('POST', '/api/units', { body: unit }),
  updateUnit: (id: string, unit: SaveUnit) =>
    request<Unit>('PUT', `/api/units/${encodeURIComponent(id)}`, { body: unit }),
  users: (signal?: AbortSignal) => request<OrgUser[]>('GET', '/api/users', { signal }),
  createUser: (user: SaveUser) => request<OrgUser>('POST', '/api/users', { body: user }),
  updateUser: (id: string, user: SaveUser) =>
    request<OrgUser>('PUT', `/api/users/${encodeURIComponent(id)}`, { body: user }),
  resetPassword: (id: string, password: string) =>
    request<void>('POST', `/api/users/${encodeURIComponent(id)}/reset-password`, { body: { password } }),
  resetSecondFactor: (id: string) => request<void>('POST', `/api/users/${encodeURIComponent(id)}/second-factor/reset`),
  securityPolicy: (signal?: AbortSignal) => request<SecurityPolicy>('GET', '/api/security-policy', { signal }),
  saveSecurityPolicy: (secondFactorRoles: string[]) =>
    request<SecurityPolicy>('PUT', '/api/security-policy', { body: { secondFactorRoles } }),
};

/** The four roles and what each means in a 督查 office. */
export const ROLE_INFO: readonly { name: string; summary: string; duties: string[] }[] = [
  {
    name: '管理员',
    summary: '配置平台：流程、表单、期限、催办阶梯、考核规则、编号、工作日历、单位和人员。',
    duties: ['设计并发布流程与表单', '维护单位、人员和角色', '处理流程运行异常', '可查看全部事项'],
  },
  {
    name: '督查员',
    summary: '督查部门（督查室）工作人员：立项登记、交办、催办、审核、办结、归档。',
    duties: ['登记事项并拟办', '交办承办单位、催办', '审核办理情况，退回或办结', '查看全部事项和台账'],
  },
  {
    name: '领导',
    summary: '审定立项和通知，作出批示，阅看专报和统计。',
    duties: ['审定登记的事项', '对办理情况作出批示', '查看全部事项和台账'],
  },
  {
    name: '承办单位联络员',
    summary: '承办单位的督查联络员：接收交办事项、填报办理情况、申请延期。',
    duties: ['签收和办理本单位的待办', '上报办理情况和佐证材料', '只看到本单位参与的事项'],
  },
];
