using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Duban.Data;
using Duban.Data.Organization;
using Duban.Data.Startup;
using Duban.Data.Supervision;
using Duban.Engine;
using Duban.Server.Attachments;
using Duban.Server.Audit;
using Duban.Server.Auth;
using Duban.Server.Clock;
using Duban.Server.Dashboards;
using Duban.Server.Definitions;
using Duban.Server.Documents;
using Duban.Server.Health;
using Duban.Server.Infrastructure;
using Duban.Server.Instances;
using Duban.Server.Ledger;
using Duban.Server.Notifications;
using Duban.Server.Organization;
using Duban.Server.Reports;
using Duban.Server.Schedules;
using Duban.Server.Simulation;
using Duban.Server.Supervision;
using Duban.Server.Tasks;
using Duban.Server.Templates;
using Microsoft.AspNetCore.Identity;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddDubanEngine();
builder.Services.AddDubanData(builder.Configuration);
builder.Services.AddDubanSupervision(builder.Configuration);
builder.Services.AddDubanFirstStart();
builder.Services.AddDubanHealth(builder.Configuration);
builder.Services.AddDubanAttachments(builder.Configuration);
builder.Services.AddDubanLedger(builder.Configuration);
builder.Services.AddDubanDashboards();
builder.Services.AddDubanNotifications(builder.Configuration);
builder.Services.AddDubanWebAppFiles();
builder.Services.AddDubanDocuments();
builder.Services.AddDubanReports(builder.Configuration);

builder.Services.AddIdentityCore<DubanUser>(o =>
    {
        // The password policy is Duban's own (Duban:Security:Password, PasswordPolicy); Identity's checks add nothing.
        // Sign-in failures are throttled per account and client instead of locking the account (decision 036).
        o.Password.RequiredLength = 1;
        o.Password.RequiredUniqueChars = 1;
        o.Password.RequireDigit = false;
        o.Password.RequireLowercase = false;
        o.Password.RequireUppercase = false;
        o.Password.RequireNonAlphanumeric = false;
    })
    .AddRoles<IdentityRole>()
    .AddPasswordValidator<Duban.Data.Security.PasswordPolicy>()
    .AddEntityFrameworkStores<DubanDbContext>()
    .AddSignInManager()
    .AddDefaultTokenProviders();
builder.Services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies(cookies =>
    cookies.ApplicationCookie?.Configure(o =>
    {
        o.Cookie.Name = "duban.auth";
        // Sessions last in real time, whatever the installation's clock says: a virtual clock (training, demos) moved a
        // week ahead must not sign everyone out, nor one set in the past hand browsers an already expired cookie.
        o.TimeProvider = TimeProvider.System;
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Lax;
        // An API answers 401/403; it does not redirect to a login page.
        o.Events.OnRedirectToLogin = ctx => { ctx.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; };
        o.Events.OnRedirectToAccessDenied = ctx => { ctx.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
    }));
// Idle timeout, absolute lifetime, stamp checked per request, sign-in throttle, headers, CSRF, limits (decision 036).
builder.Services.AddDubanSecurity(builder.Configuration);
// Roles and "still active" are checked against the organization snapshot on every request, not the cookie's claims.
builder.Services.AddHttpContextAccessor();
builder.Services.AddSnapshotAuthorization();
builder.Services.Configure<OrganizationCacheOptions>(builder.Configuration.GetSection("Duban:Organization"));

builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
    // Nulls are written, not omitted: the web app's types say "string | null", and that should be true.
    o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
});
// Malformed JSON, a missing body and bad query values throw (in every environment) so ProblemMapping answers them.
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemTitles.Customize);
builder.Services.AddExceptionHandler<ProblemMapping>();
builder.Services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
{
    doc.Info.Title = "督办 Duban API";
    doc.Info.Description = "督查督办低代码表单与流程平台的 REST API。所有接口需登录（Cookie），登录接口除外。";
    return Task.CompletedTask;
}).AddDubanConventions());
BuildTimeDocument.SkipWorkers(builder.Services);

var app = builder.Build();

// `dotnet Duban.Server.dll verify-audit`: walks the security audit log's hash chain, prints the result, exits 0 when
// intact and 1 when not (decision 044).
if (args.Contains("verify-audit"))
{
    await using var scope = app.Services.CreateAsyncScope();
    var verification = await Duban.Data.Audit.AuditChain.VerifyAsync(scope.ServiceProvider.GetRequiredService<DubanDbContext>(), CancellationToken.None);
    Console.WriteLine(verification.Intact
        ? $"审计日志完整：{verification.Sealed} 条已入链，{verification.Unsealed} 条待入链；链尾摘要 {verification.HeadHash}"
        : $"审计日志被改动：{verification.Reason}（此前 {verification.Sealed} 条完好，链尾摘要 {verification.HeadHash}）");
    return verification.Intact ? 0 : 1;
}

// Migrations and the first-start setup, one instance at a time; a setup a crash cut short is finished here (decision 020).
// Not while the build generates the OpenAPI document: that run starts the app only to read its endpoints.
if (!BuildTimeDocument.IsGenerating)
    await app.Services.RunFirstStartAsync(CancellationToken.None);

app.UseDubanForwardedHeaders();
app.UseExceptionHandler();
app.UseDubanHardening();
app.UseStatusCodePages();
app.UseDefaultFiles();
app.UseDubanPrecompressedFiles();
app.UseStaticFiles();
app.UseAuthentication();
app.UseDubanSessions();
app.UseDubanAuditActor();
app.UseAuthorization();

app.MapOpenApi("/api/openapi/{documentName}.json");
app.MapScalarApiReference("/api/docs", o => o.WithTitle("督办 Duban API").WithOpenApiRoutePattern("/api/openapi/{documentName}.json"));
app.MapDubanHealth();
app.MapClockApi();
app.MapSchedulesApi();
app.MapAuthApi();
app.MapSecurityPolicyApi();
app.MapDefinitionsApi();
app.MapInstancesApi();
app.MapItemReadersApi();
app.MapTasksApi();
app.MapTaskConveniencesApi();
app.MapIncidentsApi();
app.MapTaskOperationsApi();
app.MapOrganizationApi();
app.MapAssignmentsApi();
app.MapReadsApi();
app.MapNumberingApi();
app.MapDeadlinesApi();
app.MapAttachmentsApi();
app.MapLedgerApi();
app.MapDocumentsApi();
app.MapReportsApi();
app.MapProposalFeedbackApi();
app.MapBreakdownProgressApi();
app.MapAuditApi();
app.MapDashboardApi();
app.MapNotificationsApi();
app.MapSimulationApi();
// The fallback outranks routing's own 415 for a body that is not JSON, so it answers that case itself.
app.MapFallback("/api/{**path}", (HttpContext http) => ProblemMapping.IsNonJsonBody(http.Request)
    ? TypedResults.Problem(title: "不支持的内容类型", detail: "请求体应为 JSON（Content-Type: application/json）", statusCode: StatusCodes.Status415UnsupportedMediaType)
    : TypedResults.Problem(title: "未找到", detail: "接口不存在", statusCode: StatusCodes.Status404NotFound));
app.MapFallbackToFile("index.html");

// Not when the build runs Program only to write the OpenAPI document: no server listens, so there is no address.
if (!BuildTimeDocument.IsGenerating)
    app.Lifetime.ApplicationStarted.Register(PrintWelcome);

app.Run();
return 0;

void PrintWelcome()
{
    var address = app.Urls.FirstOrDefault() ?? "http://localhost:5000";
    Console.WriteLine();
    Console.WriteLine($"督办 Duban 已启动：{address}");
    Console.WriteLine($"API 文档：{address}/api/docs");
    if (FirstStartSetup.DemoEnabled(app.Configuration))
        Console.WriteLine($"演示账号（密码均为 {DemoData.Password}）：" + string.Join("，", DemoData.Users.Select(u => $"{u.UserName}（{string.Join("、", DemoData.RolesOf(u.UserName))}·{u.DisplayName}）")));
    if (app.Services.GetRequiredService<InitialAdministratorNotice>() is { UserName: { } initialUser, Password: { } initialPassword })
        Console.WriteLine($"初始管理员：{initialUser}，一次性密码：{initialPassword}（首次登录后须改为自己的密码）");
    Console.WriteLine();
}

public partial class Program;
