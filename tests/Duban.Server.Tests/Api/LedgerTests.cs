using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data.Assignments;
using Duban.Data.Tasks;
using Duban.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using static Duban.Server.Tests.Infrastructure.Api;
using static Duban.Server.Tests.Infrastructure.TestDefinitions;

namespace Duban.Server.Tests.Api;

/// <summary>The 台账: who sees which items, every filter, sorting, paging, and the Excel export of exactly that selection.</summary>
public abstract class LedgerTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record Seeded(Guid FzcMeeting, Guid FzcInstruction, Guid JinanDocument, Guid JinanMeeting, Guid Declined, Guid Cancelled, Guid Waiting);

    private static JsonObject Item(string title, string source, string unit) => new()
    {
        ["title"] = title, ["source"] = source, ["content"] = "台账测试", ["handlingUnit"] = unit, ["dueDate"] = "2026-12-31",
    };

    /// <summary>
    /// Seven items, titled A…G (ASCII first letters sort the same under every collation): four with their units
    /// (法制处 ×2, 济南 ×2: 承办 open, due in 10 days), one the leader declined
    /// (已办结 不予立项), one cancelled, one still waiting for the leader (only the office takes part).
    /// </summary>
    private async Task<Seeded> SeedAsync()
    {
        var ducha = await fixture.As("ducha");
        var lingdao = await fixture.As("lingdao");
        async Task<Guid> Start(string title, string source, string unit, string? leader)
        {
            var id = await StartAsync(ducha, "demo-supervision", Item(title, source, unit));
            if (leader is not null) await CompleteOkAsync(lingdao, await TaskOfAsync(lingdao, id), leader);
            return id;
        }
        var fzcMeeting = await Start("A 法制处会议事项", "meeting", "fzc", "同意");
        var fzcInstruction = await Start("B 法制处批示事项", "instruction", "fzc", "同意");
        var jinanDocument = await Start("C 济南文件事项", "document", "jinan", "同意");
        var jinanMeeting = await Start("D 济南会议事项", "meeting", "jinan", "同意");
        var declined = await Start("E 不予立项事项", "meeting", "qingdao", "不同意");
        var cancelled = await Start("F 撤销事项", "other", "fzc", null);
        Assert.Equal(HttpStatusCode.NoContent, (await ducha.PostAsJsonAsync($"/api/instances/{cancelled}/cancel", new { reason = "重复登记" })).StatusCode);
        var waiting = await Start("G 待审定事项", "instruction", "qingdao", null);
        return new Seeded(fzcMeeting, fzcInstruction, jinanDocument, jinanMeeting, declined, cancelled, waiting);
    }

    private static async Task<JsonObject> LedgerAsync(HttpClient client, string query = "")
    {
        var response = await client.GetAsync("/api/ledger" + (query.Length > 0 ? "?" + query : ""));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"ledger {query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static List<Guid> Ids(JsonObject page) => page["items"]!.AsArray().Select(r => r!["id"]!.GetValue<Guid>()).ToList();
    private static List<string> Titles(JsonObject page) => page["items"]!.AsArray().Select(r => r!["title"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task A_unit_liaison_sees_only_the_items_of_their_unit_and_the_office_sees_all()
    {
        var s = await SeedAsync();
        var all = await LedgerAsync(await fixture.As("ducha"), "pageSize=100");
        Assert.Equal(7, all["total"]!.GetValue<int>());
        Assert.Equal(7, (await LedgerAsync(await fixture.As("lingdao"), "pageSize=100"))["total"]!.GetValue<int>());

        var jinan = await LedgerAsync(await fixture.As("jinan"), "pageSize=100");
        Assert.Equal([s.JinanDocument, s.JinanMeeting], Ids(jinan).Order());
        Assert.Equal(2, jinan["total"]!.GetValue<int>());
        var fazhi = await LedgerAsync(await fixture.As("fazhi"), "pageSize=100");
        Assert.Equal(new[] { s.FzcMeeting, s.FzcInstruction }.Order(), Ids(fazhi).Order());

        // Filters narrow what one may see; they never widen it.
        Assert.Empty(Ids(await LedgerAsync(await fixture.As("jinan"), "unitId=fzc")));
        Assert.Empty(Ids(await LedgerAsync(await fixture.As("jinan"), "f.source=instruction")));
        // And the export holds the same rows.
        var sheet = await ExportAsync(await fixture.As("jinan"), "columns=title");
        Assert.Equal(["C 济南文件事项", "D 济南会议事项"], sheet.Select(r => (string)r["事项名称"]!).Order());
    }

    [Fact]
    public async Task Rows_carry_status_units_current_step_deadline_light_and_form_fields_as_people_read_them()
    {
        var s = await SeedAsync();
        var page = await LedgerAsync(await fixture.As("ducha"), "pageSize=100&fields=source,handlingUnit,dueDate");
        var rows = page["items"]!.AsArray().ToDictionary(r => r!["id"]!.GetValue<Guid>(), r => r!.AsObject());

        var open = rows[s.JinanDocument];
        Assert.Equal("open", open["status"]!.GetValue<string>());
        Assert.Equal(["济南市司法局"], open["units"]!.AsArray().Select(u => u!.GetValue<string>()));
        var step = open["currentSteps"]!.AsArray().Single()!;
        Assert.Equal("承办", step["name"]!.GetValue<string>());
        Assert.Equal("济南市司法局", step["holder"]!.GetValue<string>());
        Assert.NotNull(open["dueAt"]!.GetValue<DateTimeOffset?>());
        Assert.Equal("green", open["light"]!.GetValue<string>());
        Assert.Equal("重要文件", open["fields"]!["source"]!.GetValue<string>());
        Assert.Equal("济南市司法局", open["fields"]!["handlingUnit"]!.GetValue<string>());
        Assert.Equal("2026-12-31", open["fields"]!["dueDate"]!.GetValue<string>());

        var declined = rows[s.Declined];
        Assert.Equal("completed", declined["status"]!.GetValue<string>());
        Assert.Empty(declined["currentSteps"]!.AsArray());
        Assert.Null(declined["light"]);
        Assert.Null(declined["dueAt"]);
        Assert.NotNull(declined["finishedAt"]);
        Assert.Equal("cancelled", rows[s.Cancelled]["status"]!.GetValue<string>());
        // Still with the leader: the step is held by the role, and no unit has been given the item yet.
        var waiting = rows[s.Waiting];
        Assert.Equal("领导审定", waiting["currentSteps"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("领导", waiting["currentSteps"]![0]!["holder"]!.GetValue<string>());
        Assert.Empty(waiting["units"]!.AsArray());
    }

    [Fact]
    public async Task Filters_by_type_unit_status_source_text_and_dates()
    {
        var s = await SeedAsync();
        var ducha = await fixture.As("ducha");

        Assert.Equal([s.Declined, s.JinanMeeting, s.FzcMeeting], Ids(await LedgerAsync(ducha, "f.source=meeting&sort=title&order=desc")));
        Assert.Equal([s.FzcMeeting, s.JinanMeeting], Ids(await LedgerAsync(ducha, "f.source=meeting&status=open&sort=title&order=asc")));
        Assert.Equal([s.Declined], Ids(await LedgerAsync(ducha, "status=completed")));
        Assert.Equal([s.Cancelled], Ids(await LedgerAsync(ducha, "status=cancelled")));
        Assert.Empty(Ids(await LedgerAsync(ducha, "status=faulted")));
        Assert.Equal(5, (await LedgerAsync(ducha, "status=open"))["total"]!.GetValue<int>());
        Assert.Equal(new[] { s.JinanDocument, s.JinanMeeting }.Order(), Ids(await LedgerAsync(ducha, "unitId=jinan")).Order());
        // A unit includes the units under it: everything involves a unit under the department.
        Assert.Equal(7, (await LedgerAsync(ducha, "unitId=sft"))["total"]!.GetValue<int>());
        Assert.Equal([s.FzcInstruction], Ids(await LedgerAsync(ducha, "q=" + Uri.EscapeDataString("批示事项"))));
        Assert.Equal(7, (await LedgerAsync(ducha, "definitionId=demo-supervision"))["total"]!.GetValue<int>());
        Assert.Equal(0, (await LedgerAsync(ducha, "definitionId=nothing-like-it"))["total"]!.GetValue<int>());
        // Several field filters: all must hold.
        Assert.Equal([s.JinanMeeting], Ids(await LedgerAsync(ducha, "f.source=meeting&f.handlingUnit=jinan")));

        // Dates are China dates: today has everything; from tomorrow, nothing.
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).Date;
        string Day(int offset) => today.AddDays(offset).ToString("yyyy-MM-dd");
        Assert.Equal(7, (await LedgerAsync(ducha, $"from={Day(0)}&to={Day(0)}"))["total"]!.GetValue<int>());
        Assert.Equal(0, (await LedgerAsync(ducha, $"from={Day(1)}"))["total"]!.GetValue<int>());
        Assert.Equal(0, (await LedgerAsync(ducha, $"to={Day(-1)}"))["total"]!.GetValue<int>());
        Assert.Equal(2, (await LedgerAsync(ducha, $"dateField=finishedAt&from={Day(0)}"))["total"]!.GetValue<int>());
        // Due in 10 days (the 承办 step): within the next 11 days, not within the next 5.
        Assert.Equal(2, (await LedgerAsync(ducha, $"dateField=dueAt&from={Day(0)}&to={Day(11)}&f.source=meeting&status=open"))["total"]!.GetValue<int>());
        Assert.Equal(0, (await LedgerAsync(ducha, $"dateField=dueAt&from={Day(3)}&to={Day(5)}&unitId=jinan"))["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Lights_filter_by_the_worst_open_step()
    {
        var s = await SeedAsync();
        var ducha = await fixture.As("ducha");
        // The leader's step is due in 2 days (green); 承办 in 10 (green). Make one item red and one yellow.
        await fixture.Factory.WithDbAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            var red = await db.Tasks.SingleAsync(t => t.InstanceId == s.JinanDocument && t.Status == HumanTaskStatus.Open);
            red.DueAt = now.AddHours(-1);
            var yellow = await db.Tasks.SingleAsync(t => t.InstanceId == s.FzcInstruction && t.Status == HumanTaskStatus.Open);
            yellow.DueAt = now.AddHours(6);
            await db.SaveChangesAsync();
        });

        Assert.Equal([s.JinanDocument], Ids(await LedgerAsync(ducha, "light=red")));
        Assert.Equal([s.FzcInstruction], Ids(await LedgerAsync(ducha, "light=yellow")));
        var green = await LedgerAsync(ducha, "light=green&sort=title&order=asc");
        Assert.Equal([s.FzcMeeting, s.JinanMeeting, s.Waiting], Ids(green));
        Assert.All(green["items"]!.AsArray(), r => Assert.Equal("green", r!["light"]!.GetValue<string>()));
        Assert.Equal("red", (await LedgerAsync(ducha, "light=red"))["items"]![0]!["light"]!.GetValue<string>());
        // A liaison's light filter stays within their unit.
        Assert.Equal([s.JinanMeeting], Ids(await LedgerAsync(await fixture.As("jinan"), "light=green")));

        // Sorted by deadline: the nearest first, items without an open deadline last.
        var byDue = Ids(await LedgerAsync(ducha, "sort=dueAt&order=asc&pageSize=100"));
        Assert.Equal(s.JinanDocument, byDue[0]);
        Assert.Equal(s.FzcInstruction, byDue[1]);
        Assert.Equal(new[] { s.Declined, s.Cancelled }.Order(), byDue[^2..].Order());
    }

    [Fact]
    public async Task Sorting_and_paging_walk_every_row_once()
    {
        await SeedAsync();
        var ducha = await fixture.As("ducha");
        var byTitle = Titles(await LedgerAsync(ducha, "sort=title&order=asc&pageSize=100"));
        Assert.Equal(byTitle.Order(StringComparer.Ordinal).ToList(), byTitle);
        Assert.Equal(Enumerable.Reverse(byTitle).ToList(), Titles(await LedgerAsync(ducha, "sort=title&order=desc&pageSize=100")));

        var walked = new List<string>();
        for (var page = 1; page <= 4; page++)
        {
            var result = await LedgerAsync(ducha, $"sort=title&order=asc&pageSize=2&page={page}");
            Assert.Equal(7, result["total"]!.GetValue<int>());
            Assert.Equal(page, result["page"]!.GetValue<int>());
            walked.AddRange(Titles(result));
        }
        Assert.Equal(byTitle, walked);

        // The default is newest first.
        var created = (await LedgerAsync(ducha, "pageSize=100"))["items"]!.AsArray().Select(r => r!["createdAt"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(created.OrderDescending().ToList(), created);
    }

    /// <summary>
    /// The 7 items and 9 copies of them that tie with an original on every sort column (same title, type, status, times,
    /// 期限), some without 文号 or 期限: only the id tells them apart, so every order must end in it.
    /// </summary>
    private async Task<int> SeedWithTiesAsync()
    {
        var s = await SeedAsync();
        await fixture.Factory.WithDbAsync(async db =>
        {
            var originals = await db.Instances.AsNoTracking().Where(i => new[] { s.FzcMeeting, s.JinanDocument, s.Declined }.Contains(i.Id)).ToListAsync();
            List<Guid> noNumber = [], numbered = [];
            foreach (var original in originals)
                for (var n = 0; n < 3; n++)
                {
                    var copy = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == original.Id);
                    copy.Id = Guid.NewGuid();
                    if (n == 2) copy.DueAt = null;
                    db.Instances.Add(copy);
                    (n == 0 ? noNumber : numbered).Add(copy.Id);
                }
            await db.SaveChangesAsync();
            // 文号 set after the save (which numbers new items): some without one, some sharing one.
            await db.Instances.Where(i => noNumber.Contains(i.Id)).ExecuteUpdateAsync(u => u.SetProperty(i => i.Number, (string?)null));
            await db.Instances.Where(i => numbered.Contains(i.Id)).ExecuteUpdateAsync(u => u.SetProperty(i => i.Number, "督〔2026〕9号"));
        });
        return 16;
    }

    /// <summary>Every page of <paramref name="query"/> by nextCursor, checking each page's number and total on the way.</summary>
    private static async Task<List<JsonObject>> WalkAsync(HttpClient client, string query, int pageSize, int expectedTotal, Func<int, Task>? between = null)
    {
        var rows = new List<JsonObject>();
        string? after = null;
        for (var page = 1; page <= 50; page++)
        {
            var result = await LedgerAsync(client, $"{query}&pageSize={pageSize}" + (after is null ? "" : "&after=" + Uri.EscapeDataString(after)));
            Assert.Equal(page, result["page"]!.GetValue<int>());
            Assert.Equal(expectedTotal, result["total"]!.GetValue<int>());
            rows.AddRange(result["items"]!.AsArray().Select(r => r!.AsObject()));
            after = result["nextCursor"]?.GetValue<string>();
            if (after is null) return rows;
            if (between is not null) await between(page);
        }
        throw new InvalidOperationException("the walk did not end");
    }

    [Fact]
    public async Task Every_order_is_total_and_cursor_pages_walk_it_as_the_numbered_pages_do()
    {
        var total = await SeedWithTiesAsync();
        var ducha = await fixture.As("ducha");
        foreach (var sort in Duban.Server.Ledger.LedgerFilter.SortKeys)
            foreach (var order in new[] { "asc", "desc" })
            {
                var query = $"sort={sort}&order={order}";
                var walked = (await WalkAsync(ducha, query, 3, total)).Select(r => r["id"]!.GetValue<Guid>()).ToList();
                // Each row once …
                Assert.Equal(total, walked.Distinct().Count());
                Assert.Equal(total, walked.Count);
                // … in the order the numbered pages (OFFSET) give, and the one page of all.
                var numbered = new List<Guid>();
                for (var page = 1; page <= 6; page++) numbered.AddRange(Ids(await LedgerAsync(ducha, $"{query}&pageSize=3&page={page}")));
                Assert.True(numbered.SequenceEqual(walked), $"{query}: cursor pages differ from numbered pages");
                Assert.Equal(walked, Ids(await LedgerAsync(ducha, $"{query}&pageSize=100")));
            }
        // Values before no value, either way: the items without a 文号 come last.
        foreach (var order in new[] { "asc", "desc" })
        {
            var numbers = (await WalkAsync(ducha, $"sort=number&order={order}", 5, total)).Select(r => r["number"]?.GetValue<string>()).ToList();
            Assert.Contains(null, numbers);
            Assert.Contains("督〔2026〕9号", numbers);
            Assert.Equal(numbers.Count(n => n is null), numbers.SkipWhile(n => n is not null).Count());
        }
    }

    [Fact]
    public async Task Items_registered_between_pages_neither_double_nor_push_out_a_row()
    {
        var total = await SeedWithTiesAsync();
        var ducha = await fixture.As("ducha");
        var before = Ids(await LedgerAsync(ducha, "pageSize=100"));
        var added = new List<Guid>();
        // Newest first: after each page a new item is registered (it sorts before the cursor) — with OFFSET every later page
        // would show again the last row of the page before.
        var walked = await WalkAsync(ducha, "sort=createdAt", 4, total, async page =>
        {
            added.Add(await StartAsync(ducha, "demo-supervision", Item($"H 翻页中登记 {page}", "meeting", "fzc")));
        }).ContinueWith(t => t.Result.Select(r => r["id"]!.GetValue<Guid>()).ToList());
        Assert.Equal(before, walked);
        Assert.DoesNotContain(added, walked.Contains);
        Assert.Equal(walked.Count, walked.Distinct().Count());
    }

    [Fact]
    public async Task A_bad_cursor_is_a_400_naming_after_in_Chinese()
    {
        await SeedAsync();
        var ducha = await fixture.As("ducha");
        var byTitle = (await LedgerAsync(ducha, "sort=title&order=asc&pageSize=2"))["nextCursor"]!.GetValue<string>();
        foreach (var query in new[]
                 {
                     "after=not-a-cursor",
                     "after=" + Convert.ToBase64String("{\"s\":\"createdAt\",\"d\":true,\"k\":\"x\",\"i\":\"00000000-0000-0000-0000-000000000001\",\"n\":2,\"f\":\"E3B0C44298FC\"}"u8).TrimEnd('='),
                     // Made for another order, or another filter.
                     "sort=createdAt&after=" + Uri.EscapeDataString(byTitle),
                     "sort=title&order=asc&status=open&after=" + Uri.EscapeDataString(byTitle),
                 })
        {
            var errors = await FieldErrorsAsync(await ducha.GetAsync("/api/ledger?" + query));
            Assert.Contains("after", errors.Keys);
            Assert.All(errors["after"], m => Assert.Matches("[\u4e00-\u9fff]", m));
        }
        // The same cursor with its own order and filter pages on, whatever page size or columns.
        Assert.Equal(["C 济南文件事项", "D 济南会议事项", "E 不予立项事项"],
            Titles(await LedgerAsync(ducha, "sort=title&order=asc&pageSize=3&fields=source&after=" + Uri.EscapeDataString(byTitle))));
    }

    [Fact]
    public async Task Done_pages_by_cursor_newest_first_each_row_once()
    {
        await SeedAsync();
        var lingdao = await fixture.As("lingdao");
        async Task<JsonObject> Done(string query)
        {
            var response = await lingdao.GetAsync("/api/tasks?box=done&" + query);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        }
        var all = Ids(await Done("pageSize=100"));
        Assert.Equal(5, all.Count);
        var walked = new List<Guid>();
        string? after = null;
        for (var page = 1; page <= 3; page++)
        {
            var result = await Done("pageSize=2" + (after is null ? "" : "&after=" + Uri.EscapeDataString(after)));
            Assert.Equal(page, result["page"]!.GetValue<int>());
            Assert.Equal(5, result["total"]!.GetValue<int>());
            walked.AddRange(Ids(result));
            after = result["nextCursor"]?.GetValue<string>();
            Assert.Equal(page < 3, after is not null);
        }
        Assert.Equal(all, walked);
        var times = (await Done("pageSize=100"))["items"]!.AsArray().Select(r => r!["completedAt"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(times.OrderDescending(), times);
        Assert.Contains("after", (await FieldErrorsAsync(await lingdao.GetAsync("/api/tasks?box=done&after=xyz"))).Keys);
        Assert.Contains("after", (await FieldErrorsAsync(await lingdao.GetAsync("/api/tasks?box=todo&after=" + Uri.EscapeDataString(after ?? "x")))).Keys);
        var first = (await Done("pageSize=2"))["nextCursor"]!.GetValue<string>();
        Assert.Contains("after", (await FieldErrorsAsync(await lingdao.GetAsync("/api/tasks?box=done&q=A&after=" + Uri.EscapeDataString(first)))).Keys);
    }

    [Theory]
    [InlineData("status=running", "status")]
    [InlineData("light=blue", "light")]
    [InlineData("sort=secret", "sort")]
    [InlineData("order=up", "order")]
    [InlineData("from=2026-13-01", "from")]
    [InlineData("from=2026-02-01&to=2026-01-01", "to")]
    [InlineData("dateField=startedAt", "dateField")]
    [InlineData("f.bad-key=x", "f.bad-key")]
    [InlineData("fields=source,x.y", "fields")]
    [InlineData("page=abc", "page")]
    public async Task Bad_parameters_are_400s_naming_them_in_Chinese(string query, string field)
    {
        var ducha = await fixture.As("ducha");
        var errors = await FieldErrorsAsync(await ducha.GetAsync("/api/ledger?" + query));
        Assert.Contains(field, errors.Keys);
        Assert.All(errors[field], m => Assert.Matches("[\u4e00-\u9fff]", m));
        var export = await FieldErrorsAsync(await ducha.GetAsync("/api/ledger/export?" + query));
        Assert.Contains(field, export.Keys);
    }

    [Fact]
    public async Task The_meta_lists_columns_and_the_form_fields_to_filter_on()
    {
        var meta = await (await fixture.As("ducha")).GetFromJsonAsync<JsonObject>("/api/ledger/meta");
        Assert.Contains(meta!["columns"]!.AsArray(), c => c!["key"]!.GetValue<string>() == "dueAt" && c["title"]!.GetValue<string>() == "办理期限");
        var source = meta["fields"]!.AsArray().First()!;
        Assert.Equal("source", source["key"]!.GetValue<string>());
        Assert.Equal("立项依据", source["label"]!.GetValue<string>());
        Assert.True(source["filterable"]!.GetValue<bool>());
        Assert.Contains(source["options"]!.AsArray(), o => o!["value"]!.GetValue<string>() == "meeting" && o["label"]!.GetValue<string>() == "会议议定事项");
        // Opinions, long text and attachments are not columns.
        Assert.DoesNotContain(meta["fields"]!.AsArray(), f => f!["key"]!.GetValue<string>() is "leaderOpinion" or "attachments" or "report");
        Assert.Equal(5000, meta["maxExportRows"]!.GetValue<int>());
    }

    private static async Task<List<IDictionary<string, object?>>> ExportAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync("/api/ledger/export?" + query);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"export {query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".xlsx", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal((byte)'P', bytes[0]); // a zip container
        Assert.Equal((byte)'K', bytes[1]);
        using var stream = new MemoryStream(bytes);
        return stream.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
    }

    private static async Task<List<string>> HeadersAsync(HttpClient client, string query)
    {
        var bytes = await (await client.GetAsync("/api/ledger/export?" + query)).Content.ReadAsByteArrayAsync();
        using var stream = new MemoryStream(bytes);
        var first = (IDictionary<string, object?>)stream.Query(useHeaderRow: false).First();
        return first.Values.Select(v => v?.ToString() ?? "").ToList();
    }

    [Fact]
    public async Task The_export_is_a_real_xlsx_of_exactly_the_filtered_rows_with_the_chosen_columns()
    {
        var s = await SeedAsync();
        var ducha = await fixture.As("ducha");
        const string query = "f.source=meeting&sort=title&order=asc&columns=number,title,f.source,status,units,currentSteps,light,createdAt,f.handlingUnit";

        Assert.Equal(["编号", "事项名称", "立项依据", "状态", "承办单位", "当前环节", "状态灯", "登记时间", "承办单位（handlingUnit）"], await HeadersAsync(ducha, query));
        var sheet = await ExportAsync(ducha, query);
        var listed = await LedgerAsync(ducha, "f.source=meeting&sort=title&order=asc");
        Assert.Equal(Titles(listed), sheet.Select(r => (string)r["事项名称"]!).ToList());
        Assert.Equal(3, sheet.Count);

        var first = sheet[0];
        Assert.Equal("A 法制处会议事项", first["事项名称"]);
        Assert.Equal("会议议定事项", first["立项依据"]);
        Assert.Equal("办理中", first["状态"]);
        Assert.Equal("法制处", first["承办单位"]);
        Assert.Equal("承办（法制处）", first["当前环节"]);
        Assert.Equal("正常", first["状态灯"]);
        Assert.Equal("法制处", first["承办单位（handlingUnit）"]);
        var created = Assert.IsType<DateTime>(first["登记时间"]);
        var expected = TimeZoneInfo.ConvertTime((await InstanceAsync(ducha, s.FzcMeeting))["instance"]!["createdAt"]!.GetValue<DateTimeOffset>(),
            TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime;
        Assert.True(Math.Abs((created - expected).TotalMinutes) < 1, $"{created} vs {expected} (China time)");

        var declined = sheet.Single(r => (string)r["事项名称"]! == "E 不予立项事项");
        Assert.Equal("已办结", declined["状态"]);
        Assert.Null(declined["状态灯"]);
    }

    [Fact]
    public async Task The_default_export_columns_and_an_empty_selection_still_have_their_headers()
    {
        await SeedAsync();
        var ducha = await fixture.As("ducha");
        Assert.Equal(["编号", "事项名称", "流程类型", "承办单位", "当前环节", "办理期限", "状态灯", "状态"], await HeadersAsync(ducha, ""));
        Assert.Equal(7, (await ExportAsync(ducha, "")).Count);

        Assert.Equal(["事项名称", "状态"], await HeadersAsync(ducha, "q=nothing-matches&columns=title,status"));
        Assert.Empty(await ExportAsync(ducha, "q=nothing-matches&columns=title,status"));

        var unknown = await FieldErrorsAsync(await ducha.GetAsync("/api/ledger/export?columns=title,secret"));
        Assert.Contains("secret", unknown["columns"].Single());
    }

    [Fact]
    public async Task An_export_above_the_cap_is_refused_with_a_message_saying_how_many()
    {
        await SeedAsync();
        using var capped = fixture.Factory.WithWebHostBuilder(b => b.UseSetting("Duban:Ledger:MaxExportRows", "3"));
        var client = capped.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true });
        (await client.PostAsJsonAsync("/api/auth/login", new { userName = "ducha", password = "Duban@2026" })).EnsureSuccessStatusCode();

        var errors = await FieldErrorsAsync(await client.GetAsync("/api/ledger/export"));
        Assert.Contains("7", errors["export"].Single());
        Assert.Contains("3", errors["export"].Single());
        Assert.Equal(3, (await client.GetFromJsonAsync<JsonObject>("/api/ledger/meta"))!["maxExportRows"]!.GetValue<int>());
        // Narrowed to three, it goes through.
        var narrowed = await client.GetAsync("/api/ledger/export?f.source=meeting");
        Assert.Equal(HttpStatusCode.OK, narrowed.StatusCode);
    }

    [Fact]
    public async Task An_items_own_deadline_is_its_due_date_and_drives_its_light()
    {
        var admin = await fixture.As("admin");
        var flow = Flow("ledger-item-due", "事项时限", [
            new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "开始" },
            new JsonObject
            {
                ["id"] = "do", ["type"] = "Duban.UserTask", ["name"] = "办理",
                ["assignee"] = Literal(new JsonObject { ["type"] = "role", ["role"] = "督查员" }),
            },
            new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "结束" },
        ], [Connection("start", "Done", "do"), Connection("do", "提交", "end")]);
        flow["options"] = new JsonObject { ["deadlines"] = new JsonObject { ["item"] = new JsonObject { ["kind"] = "calendarDays", ["amount"] = 30 } } };
        await ImportAsync(admin, flow);
        var ducha = await fixture.As("ducha");
        var id = await StartAsync(ducha, "ledger-item-due", null);
        var own = (await InstanceAsync(ducha, id))["instance"]!["dueAt"]!.GetValue<DateTimeOffset>();

        var row = (await LedgerAsync(ducha, "definitionId=ledger-item-due"))["items"]![0]!;
        Assert.Equal(own, row["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal("green", row["light"]!.GetValue<string>());

        // Past its deadline (the step itself has none): red, in the row and in the filter.
        await fixture.Factory.WithDbAsync(async db =>
        {
            var item = await db.Instances.SingleAsync(i => i.Id == id);
            item.DueAt = DateTimeOffset.UtcNow.AddHours(-2);
            await db.SaveChangesAsync();
        });
        Assert.Equal([id], Ids(await LedgerAsync(ducha, "light=red")));
        Assert.Equal("red", (await LedgerAsync(ducha, "definitionId=ledger-item-due"))["items"]![0]!["light"]!.GetValue<string>());
        Assert.Empty(Ids(await LedgerAsync(ducha, "light=green&definitionId=ledger-item-due")));
        // And it sorts first by deadline.
        await SeedAsync();
        Assert.Equal(id, Ids(await LedgerAsync(ducha, "sort=dueAt&order=asc"))[0]);
    }

    [Fact]
    public async Task Assigned_units_show_as_lead_and_co_with_the_lead_first()
    {
        var s = await SeedAsync();
        // The 交办 rows as the Assign activity writes them: 济南 leads, 法制处 helps, 青岛 was removed mid-way.
        await fixture.Factory.WithDbAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            AssignmentRecord Row(string unit, string role, string? ended = null) => new()
            {
                TaskId = Guid.NewGuid(), InstanceId = s.JinanDocument, ActivityId = "assign", ExecutionId = "x", UnitId = unit, Role = role,
                AssignedAt = now, EndReason = ended,
            };
            db.Set<AssignmentRecord>().AddRange(Row("fzc", "co"), Row("jinan", "lead"), Row("qingdao", "co", ended: "removed"));
            await db.SaveChangesAsync();
        });
        var row = (await LedgerAsync(await fixture.As("ducha"), "q=C")).AsObject()["items"]!.AsArray()
            .Single(r => r!["id"]!.GetValue<Guid>() == s.JinanDocument)!;
        Assert.Equal(["济南市司法局", "法制处"], row["units"]!.AsArray().Select(u => u!.GetValue<string>()));
        Assert.Equal("lead", row["unitRoles"]!["济南市司法局"]!.GetValue<string>());
        Assert.Equal("co", row["unitRoles"]!["法制处"]!.GetValue<string>());
        Assert.Null(row["unitRoles"]!["青岛市司法局"]);
        var sheet = await ExportAsync(await fixture.As("ducha"), "q=C&columns=title,units");
        Assert.Equal("济南市司法局（主办）、法制处（协办）", sheet.Single(r => (string)r["事项名称"]! == "C 济南文件事项")["承办单位"]);
    }

    [Fact]
    public async Task The_source_column_and_filter_follow_each_procedures_marked_source_field()
    {
        // Decision 033: a procedure whose start form marks 立项来源 (keyed select1, as the form designer names a new choice)
        // shows it as 来源 beside the demo procedure, whose field is keyed source; one 来源 filter finds both kinds.
        var s = await SeedAsync();
        var admin = await fixture.As("admin");
        var form = new JsonObject
        {
            ["id"] = "reg", ["name"] = "登记",
            ["itemFields"] = new JsonObject { ["source"] = "select1" },
            ["fields"] = new JsonArray(
                new JsonObject { ["key"] = "text1", ["label"] = "事项名称", ["type"] = "text" },
                new JsonObject { ["key"] = "note", ["label"] = "备注来源", ["type"] = "text" },
                new JsonObject
                {
                    ["key"] = "select1", ["label"] = "立项来源", ["type"] = "select",
                    ["options"] = new JsonArray(new JsonObject { ["value"] = "meeting", ["label"] = "会议议定事项" }, new JsonObject { ["value"] = "leader", ["label"] = "领导交办" }),
                }),
        };
        var flow = Flow("ledger-marked-source", "标注来源", [
            new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "开始", ["form"] = Literal("reg") },
            new JsonObject { ["id"] = "do", ["type"] = "Duban.UserTask", ["name"] = "办理", ["assignee"] = Literal(new JsonObject { ["type"] = "role", ["role"] = "督查员" }) },
            new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "结束" },
        ], [Connection("start", "Done", "do"), Connection("do", "提交", "end")]);
        flow["forms"] = new JsonArray(form);
        await ImportAsync(admin, flow);
        var ducha = await fixture.As("ducha");
        var marked = await StartAsync(ducha, "ledger-marked-source", new JsonObject { ["text1"] = "H 标注来源的事项", ["select1"] = "meeting", ["note"] = "不是来源" });
        var other = await StartAsync(ducha, "ledger-marked-source", new JsonObject { ["text1"] = "I 领导交办的事项", ["select1"] = "leader" });

        var rows = (await LedgerAsync(ducha, "pageSize=50"))["items"]!.AsArray();
        string? SourceOf(Guid id) => rows.Single(r => r!["id"]!.GetValue<Guid>() == id)!["source"]?.GetValue<string>();
        Assert.Equal("会议议定事项", SourceOf(marked));
        Assert.Equal("领导交办", SourceOf(other));
        Assert.Equal("会议议定事项", SourceOf(s.FzcMeeting)); // the demo's field keyed source, by default

        var meeting = Ids(await LedgerAsync(ducha, "source=meeting&pageSize=50"));
        Assert.Equal(new[] { s.FzcMeeting, s.JinanMeeting, s.Declined, marked }.OrderBy(x => x), meeting.OrderBy(x => x));
        Assert.Equal([other], Ids(await LedgerAsync(ducha, "source=leader")));

        var meta = await ducha.GetFromJsonAsync<JsonObject>("/api/ledger/meta");
        Assert.Contains(meta!["columns"]!.AsArray(), c => c!["key"]!.GetValue<string>() == "source" && c["title"]!.GetValue<string>() == "来源");
        Assert.Contains(meta["sourceOptions"]!.AsArray(), o => o!["value"]!.GetValue<string>() == "leader" && o["label"]!.GetValue<string>() == "领导交办");

        var sheet = await ExportAsync(ducha, "definitionId=ledger-marked-source&columns=title,source");
        Assert.Equal("领导交办", sheet.Single(r => (string)r["事项名称"]! == "I 领导交办的事项")["来源"]);
    }

    [Fact]
    public async Task A_yellow_step_from_a_short_deadline_procedure_shows_on_its_item()
    {
        var admin = await fixture.As("admin");
        await ImportAsync(admin, Flow("ledger-short", "短时限", [
            new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "开始" },
            new JsonObject
            {
                ["id"] = "do", ["type"] = "Duban.UserTask", ["name"] = "急办",
                ["assignee"] = Literal(new JsonObject { ["type"] = "role", ["role"] = "督查员" }), ["dueIn"] = Literal("PT12H"),
            },
            new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "结束" },
        ], [Connection("start", "Done", "do"), Connection("do", "提交", "end")]));
        var ducha = await fixture.As("ducha");
        var id = await StartAsync(ducha, "ledger-short", null);
        var page = await LedgerAsync(ducha, "definitionId=ledger-short&light=yellow");
        Assert.Equal([id], Ids(page));
        Assert.Equal("yellow", page["items"]![0]!["light"]!.GetValue<string>());
        Assert.Equal("急办", page["items"]![0]!["currentSteps"]![0]!["name"]!.GetValue<string>());
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteLedgerTests(SqliteFixture fixture) : LedgerTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresLedgerTests(PostgresFixture fixture) : LedgerTests<PostgresFixture>(fixture);
