using System.Globalization;
using System.Text.Json.Nodes;
using Duban.Data.Organization;
using Duban.Engine.Calendar;
using Duban.Engine.Deadlines;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Duban.Server.Definitions;

/// <summary>
/// Try a deadline as the designer edits it: <c>deadline</c> as in a step's <c>deadline</c> input or
/// <c>options.deadlines.item</c>; <c>presets</c> the procedure's <c>options.deadlines</c> (for named defaults);
/// <c>from</c> the day counting starts (default: today, China).
/// </summary>
public sealed record DeadlinePreviewRequest(JsonNode? Deadline, JsonObject? Presets, DateOnly? From);

/// <param name="Date">The due date, or null when it depends on what the item will hold (a date field, the item's deadline).</param>
/// <param name="Text">What the designer shows: 「从今天起算：2026-12-18（周五）」 or why no date can be given yet.</param>
/// <param name="Provisional">The date lies in a year whose holiday notice is not loaded yet (调休 unknown).</param>
public sealed record DeadlinePreview(DateOnly? Date, string Text, bool Provisional);

internal static class DeadlinePreviewEndpoints
{
    private static readonly string[] Weekdays = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"];

    public static void MapDeadlinePreview(this RouteGroupBuilder admin)
    {
        admin.MapPost("/deadline-preview", async Task<Ok<DeadlinePreview>> (DeadlinePreviewRequest request, HttpContext http,
            OrganizationCache orgCache, TimeProvider clock, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var org = await orgCache.GetAsync(ct);
            var calendar = org.CalendarFor(user.UnitId);
            var today = ChinaTime.DateOf(clock.GetUtcNow());
            var from = request.From ?? today;
            DeadlineSpec spec;
            try
            {
                spec = DeadlineCalculator.Resolve(DeadlineCalculator.Parse(request.Deadline, "时限", request.Presets), request.Presets);
            }
            catch (DeadlineException e)
            {
                throw new WorkflowInputException("deadline", e.Message);
            }
            var problems = DeadlineCalculator.Problems(spec, request.Presets);
            if (problems.Count > 0) throw new WorkflowInputException("时限有误", problems.Select(p => new FieldError("deadline", p)).ToList());
            switch (spec.Kind)
            {
                case DeadlineKinds.Field:
                    return TypedResults.Ok(new DeadlinePreview(null, "取登记时所填的日期", false));
                case DeadlineKinds.ItemDue:
                    return TypedResults.Ok(new DeadlinePreview(null, "与事项完成时限相同", false));
            }
            // A start read from a date field is previewed as if that date were the first day.
            var counted = spec.From is { } f && f.StartsWith(DeadlineStarts.FieldPrefix, StringComparison.Ordinal) ? spec with { From = DeadlineStarts.Step } : spec;
            var start = ChinaTime.StartOf(from);
            Deadline? due;
            try
            {
                due = DeadlineCalculator.Compute(counted, new DeadlineContext(start, start, calendar) { AssignStart = start }, DeadlineStarts.Item);
            }
            catch (DeadlineException e)
            {
                throw new WorkflowInputException("deadline", e.Message);
            }
            if (due is null) return TypedResults.Ok(new DeadlinePreview(null, "不设时限", false));
            // Counted from a date field there is no date yet: say so, and give the date an example day would lead to
            // (today unless the designer sends another; decision 033).
            var label = spec.From is { } field && field.StartsWith(DeadlineStarts.FieldPrefix, StringComparison.Ordinal)
                ? $"从该字段的日期起算，例如该日期为{(from == today ? $"今天（{Day(from)}）" : Day(from))}时"
                : from == today ? "从今天起算" : $"从 {Day(from)} 起算";
            return TypedResults.Ok(new DeadlinePreview(due.Date, $"{label}：{Day(due.Date)}", calendar.IsProvisional(due.Date)));
        }).WithSummary("试算时限：按本单位工作日历算出到期日（设计器用）").ProducesValidationProblem();
    }

    private static string Day(DateOnly date) =>
        $"{date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}（{Weekdays[(int)date.DayOfWeek]}）";
}
