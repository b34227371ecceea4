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

/** 角色与权限 (decision 049): the organization's roles, the permissions a role can carry, and whether the viewer may change them. */
export type RoleDefinitions = Schemas['RoleDefinitionsDto'];
export type RoleDefinition = Schemas['RoleDefinitionDto'];
export type SaveRole = Schemas['SaveRoleRequest'];

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
  roleDefinitions: (signal?: AbortSignal) => request<RoleDefinitions>('GET', '/api/role-definitions', { signal }),
  createRole: (role: SaveRole) => request<RoleDefinition>('POST', '/api/role-definitions', { body: role }),
  updateRole: (name: string, role: SaveRole) =>
    request<RoleDefinition>('PUT', `/api/role-definitions/${encodeURIComponent(name)}`, { body: role }),
  deleteRole: (name: string) => request<void>('DELETE', `/api/role-definitions/${encodeURIComponent(name)}`),
  saveSecurityPolicy: (secondFactorRoles: string[]) =>
    request<SecurityPolicy>('PUT', '/api/security-policy', { body: { secondFactorRoles } }),
};

/** The built-in roles and what each means in a 督查 office (an organization defines its own besides, decision 049). */
export const ROLE_INFO: readonly { name: string; summary: string; duties: string[] }[] = [
  {
    name: '管理员',
    summary: '系统管理员：流程、表单、期限、催办阶梯、考核规则、编号、工作日历、单位和人员。',
    duties: ['设计并发布流程与表单', '维护单位和人员', '处理流程运行异常', '查看事项须另行授予「查看全部事项」'],
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
    name: '安全管理员',
    summary: '三员分立中的安全管理员：定义角色及其权限，为人员授予角色，设置密码和两步验证策略。',
    duties: ['新建角色、调整角色权限', '为人员授予或取消角色', '设置安全策略、重置两步验证', '不查看业务事项'],
  },
  {
    name: '审计员',
    summary: '三员分立中的审计员：查阅和导出本组织的安全审计日志。',
    duties: ['查阅安全审计日志', '导出审计记录、校验防篡改链', '不查看业务事项'],
  },
  {
    name: '承办单位联络员',
    summary: '承办单位的督查联络员：接收交办事项、填报办理情况、申请延期。',
    duties: ['签收和办理本单位的待办', '上报办理情况和佐证材料', '只看到本单位参与的事项'],
  },
];
