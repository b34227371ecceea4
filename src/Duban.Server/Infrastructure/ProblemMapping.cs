using System.Text.Json;
using System.Text.RegularExpressions;
using Duban.Data;
using Duban.Data.Definitions;
using Duban.Engine.Execution;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Infrastructure;

/// <summary>
/// Maps domain exceptions to RFC 7807 problem details in one place: bad input 400 (with per-field errors, in
/// Chinese), not found 404, not allowed 403, lost race 409. Anything else is a 500 without internals.
/// </summary>
internal sealed partial class ProblemMapping(IProblemDetailsService problems, ILogger<ProblemMapping> logger) : IExceptionHandler
{
    public const string ConcurrencyMessage = "数据已被他人修改，请刷新后重试";
    public const string DuplicateMessage = "数据已存在（可能刚被他人提交），请刷新后重试";

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var problem = exception switch
        {
            WorkflowInputException e => Validation(e.Message, e.Errors.GroupBy(x => x.Field).ToDictionary(g => g.Key, g => g.Select(x => x.Message).ToArray())),
            DefinitionInvalidException e => Validation("流程定义未通过校验", e.Errors.GroupBy(x => x.ActivityId ?? "definition").ToDictionary(g => g.Key, g => g.Select(x => x.Message).ToArray())),
            BadHttpRequestException e => BadRequest(e),
            ActivityFaultException e => Problem(StatusCodes.Status400BadRequest, e.Message),
            UnauthorizedAccessException => Problem(StatusCodes.Status401Unauthorized, "请先登录"),
            NotFoundException e => Problem(StatusCodes.Status404NotFound, e.Message),
            ForbiddenException e => Problem(StatusCodes.Status403Forbidden, e.Message),
            WorkflowConflictException e => Problem(StatusCodes.Status409Conflict, e.Message),
            DbUpdateConcurrencyException => Problem(StatusCodes.Status409Conflict, ConcurrencyMessage),
            DbUpdateException e when Duban.Data.Storage.DatabaseErrors.IsUniqueViolation(e) => Problem(StatusCodes.Status409Conflict, DuplicateMessage),
            _ => null,
        };
        if (problem is null)
        {
            logger.LogError(exception, "Unhandled error on {Path}", http.Request.Path);
            problem = Problem(StatusCodes.Status500InternalServerError, "服务器处理请求时出错，请稍后重试或联系管理员");
        }
        http.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>
    /// Malformed JSON, a missing body, a query value of the wrong type: the request never reached the endpoint.
    /// The message names the JSON path or the parameter, in Chinese (the framework's own text is English and internal).
    /// </summary>
    internal static ProblemDetails BadRequest(BadHttpRequestException e)
    {
        if (e.StatusCode == StatusCodes.Status415UnsupportedMediaType)
            return Problem(e.StatusCode, "请求体应为 JSON（Content-Type: application/json）");
        if (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            return Problem(e.StatusCode, "请求体过大");
        if (e.StatusCode != StatusCodes.Status400BadRequest)
            return Problem(e.StatusCode, "请求格式不正确");

        var (field, message) = Describe(e);
        return Validation(message, new Dictionary<string, string[]> { [field] = [message] });
    }

    private static (string Field, string Message) Describe(BadHttpRequestException e)
    {
        if (e.InnerException is JsonException json)
            return (JsonErrors.FieldOf(json) ?? "body", JsonErrors.Describe(json));
        var parameter = ParameterPattern().Match(e.Message) is { Success: true } m ? m.Groups["name"].Value : null;
        var fromBody = e.Message.Contains("from body", StringComparison.Ordinal) || e.Message.Contains("Implicit body", StringComparison.Ordinal)
            || e.Message.Contains("request body", StringComparison.Ordinal);
        if (e.Message.StartsWith("Required parameter", StringComparison.Ordinal) || e.Message.StartsWith("Implicit body", StringComparison.Ordinal))
            return fromBody || parameter is null ? ("body", "缺少请求体（JSON）") : (parameter, $"缺少参数「{parameter}」");
        if (e.Message.StartsWith("Failed to bind parameter", StringComparison.Ordinal) && parameter is not null)
        {
            var value = ValuePattern().Match(e.Message) is { Success: true } v ? v.Groups["value"].Value : null;
            return (parameter, value is null ? $"参数「{parameter}」的值格式不正确" : $"参数「{parameter}」的值「{value}」格式不正确");
        }
        return (parameter is null || fromBody ? "body" : parameter, "请求格式不正确");
    }

    // "Failed to bind parameter \"int? page\" from \"abc\"." / "Required parameter \"string q\" was not provided from query string."
    [GeneratedRegex("parameter \"(?<type>[^\"]*) (?<name>[^\" ]+)\"")]
    private static partial Regex ParameterPattern();

    [GeneratedRegex("\" from \"(?<value>.*)\"\\.?$")]
    private static partial Regex ValuePattern();

    /// <summary>A request body that is not JSON, for paths the routing could not match because of it.</summary>
    public static bool IsNonJsonBody(HttpRequest request) =>
        !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && request.ContentType is { Length: > 0 } type
        && !(Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(type, out var media)
             && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                 || media.MediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)));

    private static ProblemDetails Problem(int status, string detail) => new() { Status = status, Title = ProblemTitles.For(status), Detail = detail };

    public static HttpValidationProblemDetails Validation(string detail, IDictionary<string, string[]> errors) => new(errors)
    {
        Status = StatusCodes.Status400BadRequest,
        Title = ProblemTitles.For(StatusCodes.Status400BadRequest),
        Detail = detail,
    };
}

/// <summary>Chinese titles for problem details, by status: every problem the API writes carries one.</summary>
internal static class ProblemTitles
{
    public static string For(int status) => status switch
    {
        400 => "提交的数据有误",
        401 => "未登录或登录已失效",
        403 => "无权操作",
        404 => "未找到",
        405 => "不支持该请求方法",
        406 => "无法提供所要求的格式",
        408 => "请求超时",
        409 => "操作冲突",
        413 => "请求体过大",
        415 => "不支持的内容类型",
        422 => "提交的数据有误",
        429 => "请求过于频繁",
        500 => "服务器内部错误",
        502 or 503 or 504 => "服务暂时不可用",
        >= 500 => "服务器内部错误",
        _ => "请求失败",
    };

    private static string? DefaultDetail(int status) => status switch
    {
        401 => "请先登录",
        403 => "您没有执行此操作的权限",
        404 => "请求的内容不存在",
        405 => "该接口不支持此请求方法",
        >= 500 => "服务器处理请求时出错，请稍后重试或联系管理员",
        _ => null,
    };

    /// <summary>
    /// For <c>AddProblemDetails</c>: problems the framework writes itself (the cookie handler's bare 401/403 through
    /// <c>UseStatusCodePages</c>, 405 …) get a Chinese title and detail; titles already in Chinese are kept.
    /// </summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        if (!HasChinese(problem.Title)) problem.Title = For(status);
        if (string.IsNullOrEmpty(problem.Detail)) problem.Detail = DefaultDetail(status);
        else if (!HasChinese(problem.Detail) && context.Exception is not null) problem.Detail = DefaultDetail(status) ?? problem.Title;
    }

    private static bool HasChinese(string? text) => text is not null && text.Any(c => c is >= '\u4e00' and <= '\u9fff');
}
