using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Data.Writes;
using Duban.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using static Duban.Server.Tests.Infrastructure.Api;
using static Duban.Server.Tests.Infrastructure.TestDefinitions;

namespace Duban.Server.Tests.Api;

/// <summary>附件: limits from configuration, who may download, files tied to their item; and the item's hidden fields.</summary>
public abstract class AttachmentTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// 登记 (title, files, secret) → 承办 by the unit in <c>unit</c> (files append-only, secret hidden) → 办结.
    /// </summary>
    private static JsonObject Filing() => Flow("att-filing", "附件测试", [
        new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "登记", ["form"] = Literal("f") },
        new JsonObject
        {
            ["id"] = "handle", ["type"] = "Duban.UserTask", ["name"] = "承办", ["form"] = Literal("f"),
            ["assignee"] = Literal(new JsonObject { ["type"] = "field", ["field"] = "unit" }),
            ["outcomes"] = Literal(new JsonArray("提交")),
            ["fieldPermissions"] = Literal(new JsonObject
            {
                ["title"] = "readOnly", ["unit"] = "readOnly", ["files"] = "appendOnly", ["secret"] = "hidden", ["report"] = "editable",
            }),
        },
        new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "办结" },
    ], [Connection("start", "Done", "handle"), Connection("handle", "提交", "end")]).Also(d => d["forms"] = new JsonArray(new JsonObject
    {
        ["id"] = "f", ["name"] = "登记表",
        ["fields"] = new JsonArray(
            new JsonObject { ["key"] = "title", ["label"] = "标题", ["type"] = "text", ["required"] = true },
            new JsonObject { ["key"] = "unit", ["label"] = "承办单位", ["type"] = "unit", ["required"] = true },
            new JsonObject { ["key"] = "files", ["label"] = "附件", ["type"] = "attachments" },
            new JsonObject { ["key"] = "secret", ["label"] = "内部意见", ["type"] = "textarea" },
            new JsonObject { ["key"] = "report", ["label"] = "办理情况", ["type"] = "textarea" }),
    }));

    private static MultipartFormDataContent File(string name, byte[] content)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", name);
        return form;
    }

    private static async Task<JsonObject> UploadOkAsync(HttpClient client, string name, byte[] content, Guid? instanceId = null)
    {
        var response = await client.PostAsync(instanceId is { } i ? $"/api/attachments?instanceId={i}" : "/api/attachments", File(name, content));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static JsonObject Ref(JsonObject uploaded, string? name = null) => new()
    {
        ["id"] = uploaded["id"]!.GetValue<string>(), ["name"] = name ?? uploaded["name"]!.GetValue<string>(),
    };

    private Task<int> StoredCountAsync() => fixture.Factory.WithScopeAsync(sp => sp.GetRequiredService<DubanDbContext>().Attachments.CountAsync());

    private int FilesOnDisk() =>
        Directory.Exists(Path.Combine(fixture.Database.DataDir, "attachments"))
            ? Directory.GetFiles(Path.Combine(fixture.Database.DataDir, "attachments"), "*", SearchOption.AllDirectories).Length
            : 0;

    [Fact]
    public async Task An_uploaded_file_downloads_with_its_name_and_a_type_from_its_extension()
    {
        var fazhi = await fixture.As("fazhi");
        var bytes = Encoding.UTF8.GetBytes("%PDF-1.4 复议决定书");
        var uploaded = await UploadOkAsync(fazhi, "复议决定书.pdf", bytes);
        Assert.Equal("复议决定书.pdf", uploaded["name"]!.GetValue<string>());
        Assert.Equal(bytes.Length, uploaded["size"]!.GetValue<long>());
        Assert.Equal("application/pdf", uploaded["contentType"]!.GetValue<string>());
        Assert.Null(uploaded["instanceId"]);

        var download = await fazhi.GetAsync($"/api/attachments/{uploaded["id"]}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("复议决定书.pdf", download.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task The_limits_endpoint_tells_the_configured_size_and_types()
    {
        var limits = await (await fixture.As("fazhi")).GetFromJsonAsync<JsonObject>("/api/attachments/limits");
        Assert.Equal(20 * 1024 * 1024, limits!["maxBytes"]!.GetValue<long>());
        Assert.Contains(".pdf", limits["allowedExtensions"]!.AsArray().Select(e => e!.GetValue<string>()));
    }

    [Theory]
    [InlineData("病毒.exe", "不支持的文件类型「.exe」")]
    [InlineData("无扩展名", "不支持的文件类型「无扩展名」")]
    [InlineData("页面.html", "不支持的文件类型「.html」")]
    public async Task A_file_of_a_type_not_allowed_is_refused_and_nothing_is_kept(string name, string message)
    {
        var fazhi = await fixture.As("fazhi");
        var files = FilesOnDisk();
        var errors = await FieldErrorsAsync(await fazhi.PostAsync("/api/attachments", File(name, [1, 2, 3])));
        Assert.StartsWith(message, errors["file"].Single());
        Assert.Equal(0, await StoredCountAsync());
        Assert.Equal(files, FilesOnDisk());
    }

    [Fact]
    public async Task An_empty_file_and_a_request_without_a_file_are_refused()
    {
        var fazhi = await fixture.As("fazhi");
        var files = FilesOnDisk();
        Assert.Equal(["文件「空.pdf」是空文件"], (await FieldErrorsAsync(await fazhi.PostAsync("/api/attachments", File("空.pdf", []))))["file"]);
        var json = await FieldErrorsAsync(await fazhi.PostAsJsonAsync("/api/attachments", new { name = "a.pdf" }));
        Assert.Contains("multipart/form-data", json["file"].Single());
        var other = new MultipartFormDataContent { { new StringContent("x"), "note" } };
        Assert.Equal(["请选择要上传的文件"], (await FieldErrorsAsync(await fazhi.PostAsync("/api/attachments", other)))["file"]);
        Assert.Equal(0, await StoredCountAsync());
        Assert.Equal(files, FilesOnDisk());
    }

    [Fact]
    public async Task A_file_over_the_configured_size_is_refused_in_Chinese_and_nothing_is_kept()
    {
        // The same database with a host that allows 1 KB and only .txt.
        await using var small = fixture.Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Duban:Attachments:MaxBytes", "1024");
            b.UseSetting("Duban:Attachments:AllowedExtensions:0", "txt");
        });
        var client = small.CreateClient(new() { HandleCookies = true });
        (await client.PostAsJsonAsync("/api/auth/login", new { userName = "fazhi", password = "Duban@2026" })).EnsureSuccessStatusCode();

        var limits = await client.GetFromJsonAsync<JsonObject>("/api/attachments/limits");
        Assert.Equal(1024, limits!["maxBytes"]!.GetValue<long>());

        var files = FilesOnDisk();
        var errors = await FieldErrorsAsync(await client.PostAsync("/api/attachments", File("大文件.txt", new byte[1025])));
        Assert.Equal(["文件「大文件.txt」超过大小上限 1 KB"], errors["file"]);
        Assert.Equal(0, await StoredCountAsync());
        Assert.Equal(files, FilesOnDisk());

        var exact = await client.PostAsync("/api/attachments", File("刚好.txt", new byte[1024]));
        Assert.Equal(HttpStatusCode.Created, exact.StatusCode);
        var pdf = await FieldErrorsAsync(await client.PostAsync("/api/attachments", File("a.pdf", [1])));
        Assert.StartsWith("不支持的文件类型「.pdf」，允许的类型：.txt", pdf["file"].Single());
    }

    /// <summary>Makes the upload's write lose its race at commit, its first <paramref name="failures"/> attempts.</summary>
    private sealed class LosingGate(int failures) : ICommitGate
    {
        private int _left = failures;
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public ValueTask BeforeCommitAsync(string operation, string subject, CancellationToken cancellationToken)
        {
            if (operation != "attachment-upload") return ValueTask.CompletedTask;
            Interlocked.Increment(ref _attempts);
            return Interlocked.Decrement(ref _left) >= 0
                ? throw new DbUpdateConcurrencyException("another write committed first (test)")
                : ValueTask.CompletedTask;
        }
    }

    /// <summary>The same database with a host whose commit gate is <paramref name="gate"/>, and 法制处's liaison signed in.</summary>
    private async Task<(WebApplicationFactory<Program> Host, HttpClient Client)> WithGateAsync(ICommitGate gate)
    {
        var host = fixture.Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            s.RemoveAll<ICommitGate>();
            s.AddSingleton(gate);
        }));
        var client = host.CreateClient(new() { HandleCookies = true });
        (await client.PostAsJsonAsync("/api/auth/login", new { userName = "fazhi", password = "Duban@2026" })).EnsureSuccessStatusCode();
        return (host, client);
    }

    [Fact]
    public async Task An_upload_whose_write_fails_for_good_leaves_no_file_and_no_row()
    {
        var gate = new LosingGate(int.MaxValue);
        var (host, client) = await WithGateAsync(gate);
        await using var _ = host;
        var files = FilesOnDisk();

        var response = await client.PostAsync("/api/attachments", File("丢失.pdf", [1, 2, 3]));
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(WriteDoor.MaxAttempts, gate.Attempts);
        Assert.Equal(0, await StoredCountAsync());
        Assert.Equal(files, FilesOnDisk());
    }

    [Fact]
    public async Task An_upload_whose_write_is_retried_stores_its_file_once()
    {
        var gate = new LosingGate(2);
        var (host, client) = await WithGateAsync(gate);
        await using var _ = host;
        var files = FilesOnDisk();

        var bytes = Encoding.UTF8.GetBytes("重试后的附件");
        var uploaded = await UploadOkAsync(client, "重试.txt", bytes);
        Assert.Equal(3, gate.Attempts);
        Assert.Equal(1, await StoredCountAsync());
        Assert.Equal(files + 1, FilesOnDisk());
        Assert.Equal(bytes, await client.GetByteArrayAsync($"/api/attachments/{uploaded["id"]}"));
    }

    [Fact]
    public async Task Downloads_need_sign_in_and_answer_404_for_an_unknown_file()
    {
        var fazhi = await fixture.As("fazhi");
        var uploaded = await UploadOkAsync(fazhi, "a.pdf", [1, 2]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Anonymous().GetAsync($"/api/attachments/{uploaded["id"]}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Anonymous().PostAsync("/api/attachments", File("a.pdf", [1]))).StatusCode);
        var missing = await fazhi.GetAsync($"/api/attachments/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("附件不存在", (await missing.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_start_form_upload_is_its_uploaders_until_the_item_starts_then_everyone_who_sees_the_item_may_read_it()
    {
        var admin = await fixture.As("admin");
        await ImportAsync(admin, Filing());
        var ducha = await fixture.As("ducha");
        var fazhi = await fixture.As("fazhi");
        var jinan = await fixture.As("jinan");

        var uploaded = await UploadOkAsync(ducha, "通知.docx", [1, 2, 3]);
        var url = $"/api/attachments/{uploaded["id"]}";
        // Not tied to an item yet: nobody else may see it (404, as for anything one may not see).
        Assert.Equal(HttpStatusCode.NotFound, (await fazhi.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(url)).StatusCode);

        // The reference names the file differently: the item keeps the stored name and size.
        var id = await StartAsync(ducha, "att-filing", new JsonObject
        {
            ["title"] = "附件事项", ["unit"] = "fzc", ["files"] = new JsonArray(Ref(uploaded, "改过的名字.exe")),
        });
        var files = (await InstanceAsync(ducha, id))["data"]!["files"]!.AsArray();
        Assert.Equal("通知.docx", files.Single()!["name"]!.GetValue<string>());
        Assert.Equal(3, files.Single()!["size"]!.GetValue<long>());

        Assert.Equal(HttpStatusCode.OK, (await fazhi.GetAsync(url)).StatusCode); // 法制处 takes part in the item
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(url)).StatusCode);
        var hidden = await jinan.GetAsync(url); // 济南 may not see the item: the file does not exist for them
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal("附件不存在", (await hidden.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_form_may_not_name_someone_elses_loose_file_or_a_file_that_does_not_exist()
    {
        var admin = await fixture.As("admin");
        await ImportAsync(admin, Filing());
        var ducha = await fixture.As("ducha");
        var fazhi = await fixture.As("fazhi");
        var theirs = await UploadOkAsync(fazhi, "别人的.pdf", [9]);

        var response = await ducha.PostAsJsonAsync("/api/instances", new
        {
            definitionId = "att-filing",
            data = new JsonObject
            {
                ["title"] = "冒用附件", ["unit"] = "fzc",
                ["files"] = new JsonArray(Ref(theirs), new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["name"] = "不存在.pdf" }),
            },
        });
        var errors = await FieldErrorsAsync(response);
        Assert.Equal(["附件「别人的.pdf」不属于本事项，请重新上传"], errors["files[0]"]);
        Assert.Equal(["附件「不存在.pdf」不存在，请重新上传"], errors["files[1]"]);
        Assert.Equal(0, (await ducha.GetFromJsonAsync<JsonObject>("/api/instances"))!["total"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NotFound, (await ducha.GetAsync($"/api/attachments/{theirs["id"]}")).StatusCode);
    }

    [Fact]
    public async Task A_handler_uploads_to_the_item_and_adds_the_file_on_its_step()
    {
        var admin = await fixture.As("admin");
        await ImportAsync(admin, Filing());
        var ducha = await fixture.As("ducha");
        var fazhi = await fixture.As("fazhi");
        var jinan = await fixture.As("jinan");
        var first = await UploadOkAsync(ducha, "通知.pdf", [1]);
        var id = await StartAsync(ducha, "att-filing", new JsonObject { ["title"] = "办理附件", ["unit"] = "fzc", ["files"] = new JsonArray(Ref(first)) });

        // Uploading to an item needs the right to see it: an item one may not see does not exist for them.
        Assert.Equal(HttpStatusCode.NotFound, (await jinan.PostAsync($"/api/attachments?instanceId={id}", File("a.pdf", [1]))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fazhi.PostAsync($"/api/attachments?instanceId={Guid.NewGuid()}", File("a.pdf", [1]))).StatusCode);

        var evidence = await UploadOkAsync(fazhi, "佐证材料.xlsx", [4, 5], id);
        Assert.Equal(id, evidence["instanceId"]!.GetValue<Guid>());
        var task = await TaskOfAsync(fazhi, id);
        // Append-only: the registered file stays, the new one is added.
        await CompleteOkAsync(fazhi, task, "提交", new JsonObject { ["files"] = new JsonArray(Ref(first), Ref(evidence)), ["report"] = "已办理" });

        var files = (await InstanceAsync(ducha, id))["data"]!["files"]!.AsArray();
        Assert.Equal(["通知.pdf", "佐证材料.xlsx"], files.Select(f => f!["name"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, (await ducha.GetAsync($"/api/attachments/{evidence["id"]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await jinan.GetAsync($"/api/attachments/{evidence["id"]}")).StatusCode);

        // The item is finished: its files still download, but no more are added (403: seen, not yours to change).
        Assert.Equal(HttpStatusCode.OK, (await fazhi.GetAsync($"/api/attachments/{evidence["id"]}")).StatusCode);
        var closed = await fazhi.PostAsync($"/api/attachments?instanceId={id}", File("迟到的.pdf", [1]));
        Assert.Equal(HttpStatusCode.Forbidden, closed.StatusCode);
        Assert.Equal("事项已结束，不能再上传附件", (await closed.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_loose_upload_named_on_a_step_is_tied_to_the_item()
    {
        var admin = await fixture.As("admin");
        await ImportAsync(admin, Filing());
        var ducha = await fixture.As("ducha");
        var fazhi = await fixture.As("fazhi");
        var id = await StartAsync(ducha, "att-filing", new JsonObject { ["title"] = "补传", ["unit"] = "fzc" });
        var loose = await UploadOkAsync(fazhi, "补充.pdf", [7]);
        await CompleteOkAsync(fazhi, await TaskOfAsync(fazhi, id), "提交", new JsonObject { ["files"] = new JsonArray(Ref(loose)) });
        Assert.Equal(HttpStatusCode.OK, (await ducha.GetAsync($"/api/attachments/{loose["id"]}")).StatusCode);
    }

    [Fact]
    public async Task The_item_page_leaves_out_fields_hidden_from_every_step_the_user_takes_part_in()
    {
        var admin = await fixture.As("admin");
        await ImportAsync(admin, Filing());
        var ducha = await fixture.As("ducha");
        var fazhi = await fixture.As("fazhi");
        var id = await StartAsync(ducha, "att-filing", new JsonObject { ["title"] = "保密字段", ["unit"] = "fzc", ["secret"] = "仅督查室可见" });

        var theirs = await InstanceAsync(fazhi, id);
        Assert.False(theirs["data"]!.AsObject().ContainsKey("secret"));
        Assert.Equal("保密字段", theirs["data"]!["title"]!.GetValue<string>());
        Assert.Equal("hidden", theirs["permissions"]!["secret"]!.GetValue<string>());
        Assert.Equal("readOnly", theirs["permissions"]!["title"]!.GetValue<string>());
        Assert.Equal("f", theirs["form"]!["id"]!.GetValue<string>());
        Assert.DoesNotContain("仅督查室可见", theirs.ToJsonString());

        // The task page of the unit's own step leaves it out too.
        var task = await fazhi.GetFromJsonAsync<JsonObject>($"/api/tasks/{await TaskOfAsync(fazhi, id)}");
        Assert.False(task!["data"]!.AsObject().ContainsKey("secret"));

        // The supervision office sees everything.
        var office = await InstanceAsync(ducha, id);
        Assert.Equal("仅督查室可见", office["data"]!["secret"]!.GetValue<string>());
        Assert.Equal("readOnly", office["permissions"]!["secret"]!.GetValue<string>());
        Assert.Equal(["handle"], office["activeActivityIds"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(["start"], office["doneActivityIds"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    /// <summary>登记 (secret hidden from the registrant) → 审核 by 督查员 (secret editable) → 办结.</summary>
    private static JsonObject Review() => Flow("att-review", "审核可见性", [
        new JsonObject
        {
            ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "登记", ["form"] = Literal("f"),
            ["fieldPermissions"] = Literal(new JsonObject { ["secret"] = "hidden" }),
        },
        new JsonObject
        {
            ["id"] = "review", ["type"] = "Duban.UserTask", ["name"] = "审核", ["form"] = Literal("f"),
            ["assignee"] = Literal(new JsonObject { ["type"] = "role", ["role"] = "督查员" }),
            ["outcomes"] = Literal(new JsonArray("通过")),
            ["fieldPermissions"] = Literal(new JsonObject { ["title"] = "readOnly", ["secret"] = "editable" }),
        },
        new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "办结" },
    ], [Connection("start", "Done", "review"), Connection("review", "通过", "end")]).Also(d => d["forms"] = new JsonArray(new JsonObject
    {
        ["id"] = "f", ["name"] = "登记表",
        ["fields"] = new JsonArray(
            new JsonObject { ["key"] = "title", ["label"] = "标题", ["type"] = "text", ["required"] = true },
            new JsonObject { ["key"] = "secret", ["label"] = "内部意见", ["type"] = "textarea" }),
    }));

    [Fact]
    public async Task Someone_elses_task_shows_no_more_than_the_item_shows_them()
    {
        var admin = await fixture.As("admin");
        await ImportAsync(admin, Review());
        var fazhi = await fixture.As("fazhi");
        var ducha = await fixture.As("ducha");
        var id = await StartAsync(fazhi, "att-review", new JsonObject { ["title"] = "登记人看不到审核意见" });
        var review = await TaskOfAsync(ducha, id);
        await CompleteOkAsync(ducha, review, "通过", new JsonObject { ["secret"] = "内部掌握" });

        // The registrant may open the finished 审核 task (they see the item), but not the field hidden from them.
        var seen = await fazhi.GetFromJsonAsync<JsonObject>($"/api/tasks/{review}");
        Assert.Equal("登记人看不到审核意见", seen!["data"]!["title"]!.GetValue<string>());
        Assert.False(seen["data"]!.AsObject().ContainsKey("secret"));
        Assert.False((await InstanceAsync(fazhi, id))["data"]!.AsObject().ContainsKey("secret"));
        Assert.Equal("内部掌握", (await ducha.GetFromJsonAsync<JsonObject>($"/api/tasks/{review}"))!["data"]!["secret"]!.GetValue<string>());
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteAttachmentTests(SqliteFixture fixture) : AttachmentTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresAttachmentTests(PostgresFixture fixture) : AttachmentTests<PostgresFixture>(fixture);
