namespace Duban.Data.Audit;

/// <summary>
/// Which writes the security audit log records, and how it names them (decision 044): what changes who may do what —
/// people, roles, passwords, sessions, units, deputies, organizations — and the rules and settings of the office.
/// The business itself (tasks, items, chases) is the items' own journal, not this log.
/// </summary>
public static class AuditedOperations
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["organization-add"] = "新建组织",
        ["unit-add"] = "新增单位",
        ["unit-change"] = "修改单位",
        ["user-add"] = "新增人员",
        ["user-change"] = "修改人员（含角色、启用停用）",
        ["user-reset-password"] = "重置密码",
        ["role-add"] = "新建角色",
        ["role-change"] = "修改角色权限",
        ["role-delete"] = "删除角色",
        ["password-change"] = "修改本人密码",
        ["sessions-end"] = "退出登录（结束全部会话）",
        ["second-factor-enrol"] = "启用两步验证",
        ["second-factor-disable"] = "关闭两步验证",
        ["second-factor-reset"] = "重置两步验证",
        ["security-policy"] = "修改安全策略",
        ["deputy-set"] = "设置代理",
        ["deputy-remove"] = "取消代理",
        ["supervision-settings"] = "修改督查设置",
        ["chase-ladder"] = "修改催办阶梯",
        ["scoring-rules"] = "修改考核规则",
        ["scoring-rules-reset"] = "恢复默认考核规则",
        ["scoring-table"] = "修改考核表",
        ["score-events"] = "修改考核事件",
        ["calendar-day"] = "修改工作日历",
        ["calendar-load"] = "载入工作日历",
        ["definition-publish"] = "发布流程",
        ["definition-import"] = "导入流程",
        ["change-readers"] = "修改事项知悉范围",
        ["item-unarchive"] = "撤销归档",
        ["clock-advance"] = "调整系统时钟",
        ["schedule-save"] = "保存定期任务",
        ["schedule-delete"] = "删除定期任务",
        ["schedule-pause"] = "暂停定期任务",
        // Not writes of the door: recorded by their endpoints.
        [SignIn] = "登录",
        [Export] = "导出",
        [Download] = "下载附件",
    };

    public const string SignIn = "sign-in";
    public const string Export = "export";
    public const string Download = "download";

    public static bool IsAudited(string operation) => Names.ContainsKey(operation);

    public static string NameOf(string operation) => Names.TryGetValue(operation, out var name) ? name : operation;

    public static IReadOnlyDictionary<string, string> All => Names;
}
