using System.Text.Json;
using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Notifications.Writes;

/// <summary>
/// An organization's administrator adds, changes or (with <see cref="Delete"/>) removes a group robot: 钉钉 or 企业微信,
/// its webhook address, 钉钉's 加签 secret, and which kinds of news it posts to the group.
/// </summary>
public sealed record SaveNotificationChannel(CurrentUser User, Guid? Id, NotificationChannelInput? Input, bool Delete = false) : IWrite<Guid>
{
    public string Operation => "notification-channel";
    public string Subject => Id?.ToString() ?? "new";
}

/// <param name="Secret">钉钉's 加签 secret; null keeps the stored one, empty clears it.</param>
public sealed record NotificationChannelInput(string? Kind, string? Name, string? Url, string? Secret, bool Enabled, IReadOnlyList<string>? Kinds);

internal sealed class SaveNotificationChannelHandler : IWriteHandler<SaveNotificationChannel, Guid>
{
    public const string DingTalk = "dingtalk";
    public const string WeCom = "wecom";

    public async Task<Guid> HandleAsync(SaveNotificationChannel write, WriteContext context, CancellationToken ct)
    {
        if (!write.User.Has(Permission.ConfigureSupervision) || write.User.OrganizationId is not { } organizationId)
            throw new ForbiddenException("只有本单位的管理员可以设置群机器人");
        var set = context.Db.Set<NotificationChannelRecord>();
        NotificationChannelRecord? row = null;
        if (write.Id is { } id)
            row = await set.FirstOrDefaultAsync(c => c.Id == id && c.OrganizationId == organizationId, ct) ?? throw new NotFoundException("群机器人不存在");
        if (write.Delete)
        {
            if (row is not null) set.Remove(row);
            return write.Id ?? Guid.Empty;
        }
        var input = write.Input ?? throw new WorkflowInputException("body", "请填写群机器人");
        var (name, url) = NotificationRules.Robot(input);
        var kinds = (input.Kinds ?? []).Distinct().ToList();
        if (kinds.FirstOrDefault(k => !NotificationKinds.All.Contains(k)) is { } unknown) throw new WorkflowInputException("kinds", $"没有「{unknown}」这种通知");
        if (input.Secret?.Length > 200) throw new WorkflowInputException("secret", "加签密钥不能超过 200 字");
        if (row is null)
            set.Add(row = new NotificationChannelRecord { Id = Guid.CreateVersion7(), OrganizationId = organizationId, Kind = input.Kind!, Name = name, Url = url });
        row.Kind = input.Kind!;
        row.Name = name;
        row.Url = url;
        if (input.Secret is { } secret) row.Secret = secret.Trim().Length == 0 ? null : secret.Trim();
        row.Enabled = input.Enabled;
        row.KindsJson = JsonSerializer.Serialize(kinds);
        row.UpdatedAt = context.Now;
        return row.Id;
    }
}
