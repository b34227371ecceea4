using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Engine.Execution;
using Duban.Server.Infrastructure;
using Duban.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using static Duban.Server.Tests.Infrastructure.Api;
using static Duban.Server.Tests.Infrastructure.TestDefinitions;

namespace Duban.Server.Tests.Api;

internal static class Problems
{
    public static async Task<JsonObject> AssertAsync(HttpResponseMessage response, HttpStatusCode status, string title)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(title, problem["title"]!.GetValue<string>());
        return problem;
    }

    public static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");
}

/// <summary>A deployed server ("Production") answers bad requests and missing sessions with Chinese problem details too.</summary>
public abstract class ProductionProblemTests(string provider)
{
    [Fact]
    public async Task Malformed_JSON_and_a_missing_session_get_Chinese_problem_details_in_Production()
    {
        await using var database = await DatabaseTarget.SeededAsync(provider, DubanFixture.Variant);
        await using var factory = new DubanFactory(database, environment: "Production");
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });

        var malformed = await Problems.AssertAsync(await client.PostAsync("/api/auth/login", Problems.Json("{\"userName\": ")), HttpStatusCode.BadRequest, "提交的数据有误");
        Assert.NotNull(malformed["errors"]);

        var anonymous = await Problems.AssertAsync(await client.GetAsync("/api/tasks"), HttpStatusCode.Unauthorized, "未登录或登录已失效");
        Assert.False(string.IsNullOrEmpty(anonymous["detail"]?.GetValue<string>()));
    }
}

public sealed class SqliteProductionProblemTests() : ProductionProblemTests("Sqlite");

public sealed class PostgresProductionProblemTests() : ProductionProblemTests("Postgres");

/// <summary>What reaches ProblemMapping, and what it answers: the field named, a Chinese title, no English internals.</summary>
public abstract class ProblemDetailsTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_bad_query_value_names_the_parameter()
    {
        var ducha = await fixture.As("ducha");
        var problem = await Problems.AssertAsync(await ducha.GetAsync("/api/tasks?page=abc"), HttpStatusCode.BadRequest, "提交的数据有误");
        Assert.Contains("page", problem["errors"]!.AsObject().Select(e => e.Key));
        Assert.Contains("「page」", problem["errors"]!["page"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_names_the_JSON_path_in_Chinese()
    {
        var admin = await fixture.As("admin");
        var problem = await Problems.AssertAsync(await admin.PostAsync("/api/units", Problems.Json("""{"id":"x","name":"单位","sortOrder":"first"}""")),
            HttpStatusCode.BadRequest, "提交的数据有误");
        var message = problem["errors"]!["sortOrder"]![0]!.GetValue<string>();
        Assert.Contains("sortOrder", message);
        Assert.Contains("类型不正确", message);
        Assert.DoesNotContain("could not be converted", message);
        Assert.DoesNotContain("could not be converted", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Truncated_JSON_and_a_missing_body_are_400s_naming_the_body()
    {
        var ducha = await fixture.As("ducha");
        var truncated = await Problems.AssertAsync(await ducha.PostAsync("/api/instances", Problems.Json("{\"definitionId\": ")), HttpStatusCode.BadRequest, "提交的数据有误");
        Assert.Contains("JSON", truncated["detail"]!.GetValue<string>());
        var empty = await Problems.AssertAsync(await ducha.PostAsync("/api/instances", Problems.Json("")), HttpStatusCode.BadRequest, "提交的数据有误");
        Assert.NotNull(empty["errors"]!["body"]);
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_a_415_not_a_missing_endpoint()
    {
        var admin = await fixture.As("admin");
        var response = await admin.PostAsync("/api/units", new StringContent("id=x", Encoding.UTF8, "text/plain"));
        var problem = await Problems.AssertAsync(response, HttpStatusCode.UnsupportedMediaType, "不支持的内容类型");
        Assert.Contains("JSON", problem["detail"]!.GetValue<string>());
        await Problems.AssertAsync(await admin.GetAsync("/api/no-such-thing"), HttpStatusCode.NotFound, "未找到");
    }

    [Fact]
    public async Task The_cookie_handlers_bare_401_and_403_carry_Chinese_titles()
    {
        await Problems.AssertAsync(await fixture.Anonymous().GetAsync("/api/units"), HttpStatusCode.Unauthorized, "未登录或登录已失效");
        var ducha = await fixture.As("ducha");
        var forbidden = await Problems.AssertAsync(await ducha.PostAsJsonAsync("/api/definitions/import", Script("nope", "越权", "vars.x = 1")), HttpStatusCode.Forbidden, "无权操作");
        Assert.False(string.IsNullOrEmpty(forbidden["detail"]?.GetValue<string>()));
    }

    [Fact]
    public async Task A_start_whose_title_script_fails_is_a_400_with_its_message_and_writes_nothing()
    {
        var admin = await fixture.As("admin");
        var definition = Flow("bad-title", "标题脚本出错", [
            new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "登记", ["title"] = Script("item.missing.deeper") },
            new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "结束" },
        ], [Connection("start", "Done", "end")]);
        await ImportAsync(admin, definition);
        var ducha = await fixture.As("ducha");
        var before = await fixture.Factory.WithScopeAsync(sp => sp.GetRequiredService<DubanDbContext>().Instances.CountAsync());

        var problem = await Problems.AssertAsync(await ducha.PostAsJsonAsync("/api/instances", new { definitionId = "bad-title" }), HttpStatusCode.BadRequest, "提交的数据有误");
        Assert.Contains("「登记」", problem["detail"]!.GetValue<string>());
        Assert.Equal(before, await fixture.Factory.WithScopeAsync(sp => sp.GetRequiredService<DubanDbContext>().Instances.CountAsync()));
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteProblemDetailsTests(SqliteFixture fixture) : ProblemDetailsTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresProblemDetailsTests(PostgresFixture fixture) : ProblemDetailsTests<PostgresFixture>(fixture);

/// <summary>Database races: a lost update or a duplicate key is a 409 the user can act on, not a 500.</summary>
public sealed class ProblemMappingTests
{
    private static async Task<(int Status, JsonObject Body)> MapAsync(Exception exception)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails(o => o.CustomizeProblemDetails = ProblemTitles.Customize).BuildServiceProvider();
        var http = new DefaultHttpContext { RequestServices = services };
        http.Response.Body = new MemoryStream();
        var mapping = new ProblemMapping(services.GetRequiredService<Microsoft.AspNetCore.Http.IProblemDetailsService>(), NullLogger<ProblemMapping>.Instance);
        Assert.True(await mapping.TryHandleAsync(http, exception, CancellationToken.None));
        http.Response.Body.Position = 0;
        return (http.Response.StatusCode, (await JsonNode.ParseAsync(http.Response.Body))!.AsObject());
    }

    [Fact]
    public async Task A_lost_update_is_a_409_asking_to_refresh()
    {
        var (status, body) = await MapAsync(new DbUpdateConcurrencyException("The database operation was expected to affect 1 row(s)"));
        Assert.Equal(409, status);
        Assert.Equal("操作冲突", body["title"]!.GetValue<string>());
        Assert.Equal("数据已被他人修改，请刷新后重试", body["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_unique_violation_on_either_database_is_a_409()
    {
        var sqlite = new DbUpdateException("x", new SqliteException("UNIQUE constraint failed: Units.Id", 19, 1555));
        Assert.Equal(409, (await MapAsync(sqlite)).Status);
        var postgres = new DbUpdateException("x", new Npgsql.PostgresException("duplicate key value violates unique constraint", "ERROR", "ERROR", "23505"));
        Assert.Equal(409, (await MapAsync(postgres)).Status);

        var other = new DbUpdateException("x", new SqliteException("FOREIGN KEY constraint failed", 19, 787));
        var (status, body) = await MapAsync(other);
        Assert.Equal(500, status);
        Assert.Equal("服务器内部错误", body["title"]!.GetValue<string>());
        Assert.DoesNotContain("FOREIGN", body.ToJsonString());
    }

    [Fact]
    public async Task An_activity_fault_is_a_400_with_its_message()
    {
        var (status, body) = await MapAsync(new ActivityFaultException("「登记」脚本失败：item.missing is undefined"));
        Assert.Equal(400, status);
        Assert.Equal("「登记」脚本失败：item.missing is undefined", body["detail"]!.GetValue<string>());
    }
}
