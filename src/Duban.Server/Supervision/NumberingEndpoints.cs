using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Data.Numbering;
using Duban.Data.Organization;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Supervision;

/// <summary>A counter: the last number given out in a sequence and period.</summary>
/// <param name="Period"><c>2026</c> (counted per year), <c>2026-03</c> (per month) or <c>*</c> (never starts again).</param>
/// <param name="AdjustedBy">The administrator who last set it by hand; null when only registrations moved it.</param>
public sealed record NumberSequenceView(string Sequence, string Period, long LastNumber, DateTimeOffset UpdatedAt, string? AdjustedBy);

/// <summary>Set a counter's last number (only forward).</summary>
public sealed record AdjustNumberSequenceRequest(string? Sequence, string? Period, long? LastNumber);

/// <summary>Try a numbering rule: <c>numbering</c> as in a definition's <c>options.numbering</c>; <c>at</c> defaults to now.</summary>
public sealed record NumberingPreviewRequest(JsonNode? Numbering, DateTimeOffset? At);

/// <param name="Example">The number the next registration would get (if no one registers first).</param>
/// <param name="First">The first number of a period, e.g. 督〔2026〕1号.</param>
public sealed record NumberingPreview(string Sequence, string Period, long LastNumber, string Example, string First);

/// <summary>Running numbers (统一编号): the counters, setting one by hand, and trying a rule in the designer.</summary>
internal static class NumberingEndpoints
{
    public static RouteGroupBuilder MapNumberingApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/numbering").WithTags("编号").RequireAuthorization();

        group.MapGet("/sequences", async Task<Ok<List<NumberSequenceView>>> (HttpContext http, DubanDbContext db, CancellationToken ct) =>
        {
            await OfficeAsync(http);
            var rows = await db.Set<NumberSequenceRecord>().AsNoTracking().ToListAsync(ct);
            return TypedResults.Ok(rows.OrderBy(r => r.Sequence, StringComparer.Ordinal).ThenByDescending(r => r.Period, StringComparer.Ordinal)
                .Select(View).ToList());
        }).WithSummary("编号计数器（督查员、管理员）");

        group.MapPut("/sequences", async Task<Ok<NumberSequenceView>> (AdjustNumberSequenceRequest request, HttpContext http, DubanDbContext db,
            TimeProvider clock, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            if (!user.Has(Permission.ConfigureSupervision)) throw new ForbiddenException("只有管理员可以调整编号计数器");
            var errors = new List<FieldError>();
            if (string.IsNullOrWhiteSpace(request.Sequence)) errors.Add(new("sequence", "请填写编号序列"));
            else if (request.Sequence.Length > NumberingOptions.MaxSequenceLength) errors.Add(new("sequence", $"编号序列不能超过 {NumberingOptions.MaxSequenceLength} 个字符"));
            if (request.Period is not { } period || !ValidPeriod(period))
                errors.Add(new("period", "期间应为年份（如 2026）、年月（如 2026-03）或 *（不分期间）"));
            if (request.LastNumber is not { } last || last < 0 || last > 999_999_999)
                errors.Add(new("lastNumber", "已用编号应为 0 到 999999999 之间的整数"));
            if (errors.Count > 0) throw new WorkflowInputException("请检查标出的内容", errors);

            var key = request.Sequence!;
            if (!await NumberSequences.AdjustAsync(db, key, request.Period!, request.LastNumber!.Value, user.DisplayName, clock.GetUtcNow(), ct))
            {
                var current = await db.Set<NumberSequenceRecord>().AsNoTracking().FirstAsync(r => r.Sequence == key && r.Period == request.Period, ct);
                throw new WorkflowInputException("lastNumber", $"已用编号只能调大：当前已用到 {current.LastNumber}，调小会产生重复编号");
            }
            var row = await db.Set<NumberSequenceRecord>().AsNoTracking().FirstAsync(r => r.Sequence == key && r.Period == request.Period, ct);
            return TypedResults.Ok(View(row));
        }).WithSummary("设置已用编号（只能调大；管理员）").ProducesValidationProblem();

        group.MapPost("/preview", async Task<Ok<NumberingPreview>> (NumberingPreviewRequest request, HttpContext http, DubanDbContext db,
            TimeProvider clock, CancellationToken ct) =>
        {
            await http.GetCurrentUserAsync();
            var (options, problems) = NumberingOptions.Read(request.Numbering);
            if (options is null)
                throw new WorkflowInputException("编号规则有误", (problems.Count > 0 ? problems : new[] { "请填写编号规则" }).Select(p => new FieldError("numbering", p)).ToList());
            var at = request.At ?? clock.GetUtcNow();
            var period = options.PeriodOf(at);
            var key = options.SequenceKey;
            var last = await db.Set<NumberSequenceRecord>().AsNoTracking()
                .Where(r => r.Sequence == key && r.Period == period).Select(r => (long?)r.LastNumber).FirstOrDefaultAsync(ct) ?? 0;
            return TypedResults.Ok(new NumberingPreview(key, period, last, options.Format(last + 1, at), options.Format(1, at)));
        }).WithSummary("试算编号规则（设计器用）").ProducesValidationProblem();

        return group;
    }

    private static bool ValidPeriod(string period) =>
        period == "*"
        || (period.Length == 4 && int.TryParse(period, out var year) && year is >= 1900 and <= 9999)
        || (period.Length == 7 && period[4] == '-' && int.TryParse(period[..4], out var y) && y is >= 1900 and <= 9999
            && int.TryParse(period[5..], out var month) && month is >= 1 and <= 12);

    private static async Task OfficeAsync(HttpContext http)
    {
        var user = await http.GetCurrentUserAsync();
        if (!user.Has(Permission.Supervise))
            throw new ForbiddenException("只有督查员或管理员可以查看编号计数器");
    }

    private static NumberSequenceView View(NumberSequenceRecord r) => new(r.Sequence, r.Period, r.LastNumber, r.UpdatedAt, r.AdjustedBy);
}
