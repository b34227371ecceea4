using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Duban.Server.Tests.Infrastructure;
using static Duban.Server.Tests.Infrastructure.Api;
using static Duban.Server.Tests.Infrastructure.TestDefinitions;

namespace Duban.Server.Tests.Api;

/// <summary>
/// A redo keeps every round: 000 第十三条（五）「通知承办部门补充或重新办理」 — the first 整改情况报告 and its photo stay on the
/// item after the second is submitted.
/// </summary>
public abstract class RoundsTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>登记 → 整改 (report, photos) → 审核 (通过 → 办结, 退回 → 整改).</summary>
    private static JsonObject Rectification()
    {
        var flow = Flow("rounds-rectify", "整改复核", [
            new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "登记", ["form"] = Literal("f") },
            new JsonObject
            {
                ["id"] = "fix", ["type"] = "Duban.UserTask", ["name"] = "整改", ["form"] = Literal("f"),
                ["assignee"] = Literal(new JsonObject { ["type"] = "unit", ["unitIds"] = new JsonArray("fzc") }),
                ["outcomes"] = Literal(new JsonArray("提交")),
                ["fieldPermissions"] = Literal(new JsonObject { ["title"] = "readOnly", ["report"] = "editable", ["photos"] = "editable" }),
            },
            new JsonObject
            {
                ["id"] = "review", ["type"] = "Duban.UserTask", ["name"] = "审核",
                ["assignee"] = Literal(new JsonObject { ["type"] = "role", ["role"] = "督查员" }),
                ["outcomes"] = Literal(new JsonArray("通过", "退回")),
            },
            new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "办结" },
        ], [Connection("start", "Done", "fix"), Connection("fix", "提交", "review"), Connection("review", "通过", "end"), Connection("review", "退回", "fix")]);
        flow["forms"] = new JsonArray(new JsonObject
        {
            ["id"] = "f", ["name"] = "整改情况报告",
            ["fields"] = new JsonArray(
                new JsonObject { ["key"] = "title", ["label"] = "事项", ["type"] = "text", ["required"] = true },
                new JsonObject { ["key"] = "report", ["label"] = "整改情况", ["type"] = "textarea" },
                new JsonObject { ["key"] = "photos", ["label"] = "整改照片", ["type"] = "attachments" }),
        });
        return flow;
    }

    private static async Task<JsonObject> UploadAsync(HttpClient client, Guid instanceId, string name)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes("JPEG " + name));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", name);
        var response = await client.PostAsync($"/api/attachments?instanceId={instanceId}", form);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static JsonArray Photos(JsonObject uploaded) =>
        new(new JsonObject { ["id"] = uploaded["id"]!.GetValue<string>(), ["name"] = uploaded["name"]!.GetValue<string>() });

    [Fact]
    public async Task The_first_rounds_report_and_photo_stay_after_the_redo()
    {
        await ImportAsync(await fixture.As("admin"), Rectification());
        var ducha = await fixture.As("ducha");
        var fazhi = await fixture.As("fazhi");
        var id = await StartAsync(ducha, "rounds-rectify", new JsonObject { ["title"] = "执法案卷整改" });

        var first = await UploadAsync(fazhi, id, "第一次整改.jpg");
        await CompleteOkAsync(fazhi, await TaskOfAsync(fazhi, id, "整改"), "提交", new JsonObject { ["report"] = "已补齐案卷目录", ["photos"] = Photos(first) });
        await CompleteOkAsync(ducha, await TaskOfAsync(ducha, id, "审核"), "退回", comment: "整改不到位，请重新整改");
        var second = await UploadAsync(fazhi, id, "第二次整改.jpg");
        await CompleteOkAsync(fazhi, await TaskOfAsync(fazhi, id, "整改"), "提交", new JsonObject { ["report"] = "已逐卷核查并补正", ["photos"] = Photos(second) });

        var item = await InstanceAsync(ducha, id);
        Assert.Equal("已逐卷核查并补正", item["data"]!["report"]!.GetValue<string>());
        var rounds = item["rounds"]!.AsArray().Where(r => r!["activityId"]!.GetValue<string>() == "fix").ToList();
        Assert.Equal([1, 2], rounds.Select(r => r!["round"]!.GetValue<int>()));
        Assert.Equal(["已补齐案卷目录", "已逐卷核查并补正"], rounds.Select(r => r!["values"]!["report"]!.GetValue<string>()));
        Assert.Equal(first["id"]!.GetValue<string>(), rounds[0]!["values"]!["photos"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("张联络", rounds[0]!["actorName"]!.GetValue<string>());

        // The first photo still downloads for whoever sees the item.
        var download = await ducha.GetAsync($"/api/attachments/{first["id"]}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("JPEG 第一次整改.jpg", await download.Content.ReadAsStringAsync());
    }
}

public sealed class SqliteRoundsTests(SqliteFixture fixture) : RoundsTests<SqliteFixture>(fixture), IClassFixture<SqliteFixture>;

public sealed class PostgresRoundsTests(PostgresFixture fixture) : RoundsTests<PostgresFixture>(fixture), IClassFixture<PostgresFixture>;
