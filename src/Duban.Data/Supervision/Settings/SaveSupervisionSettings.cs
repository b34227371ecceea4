using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Execution;

namespace Duban.Data.Supervision.Settings;

/// <summary>督查设置 (administrators): whether units may ask for an extension after their deadline has passed.</summary>
public sealed record SaveSupervisionSettings(CurrentUser User, bool? AllowLateExtensionRequests) : IWrite<SupervisionSettingsRecord>, IRetryOnDuplicateKey
{
    public string Operation => "supervision-settings";
    public string Subject => User.UnitId ?? "";
}

internal sealed class SaveSupervisionSettingsHandler : IWriteHandler<SaveSupervisionSettings, SupervisionSettingsRecord>
{
    public async Task<SupervisionSettingsRecord> HandleAsync(SaveSupervisionSettings write, WriteContext context, CancellationToken ct)
    {
        SettingsAdmin.Require(write.User);
        if (write.AllowLateExtensionRequests is not { } allowLate)
            throw new WorkflowInputException("allowLateExtensionRequests", "请选择是否允许逾期后申请延期");
        var organizationId = OrganizationScope.Require(write.User);
        var row = await SettingsAdmin.SettingsRowAsync(context, organizationId, write.User, ct);
        row.AllowLateExtensionRequests = allowLate;
        return row;
    }
}
