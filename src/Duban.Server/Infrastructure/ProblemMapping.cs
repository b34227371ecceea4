using Duban.Data.Definitions;
using Duban.Engine.Execution;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Server.Infrastructure;

/// <summary>
/// Maps domain exceptions to RFC 7807 problem details in one place: bad input 400 (with per-field errors, in
/// Chinese), not found 404, not allowed 403, lost race 409. Anything else is a 500 without internals.
/// </summary>
internal sealed class ProblemMapping(IProblemDetailsService problems, ILogger<ProblemMapping> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var problem = exception switch
        {
            WorkflowInputException e => Validation(e.Message, e.Errors.GroupBy(x => x.Field).ToDictionary(g => g.Key, g => g.Select(x => x.Message).ToArray())),
            DefinitionInvalidException e => Validation("流程定义未通过校验", e.Errors.GroupBy(x => x.ActivityId ?? "definition").ToDictionary(g => g.Key, g => g.Select(x => x.Message).ToArray())),
            BadHttpRequestException e => Problem(StatusCodes.Status400BadRequest, "请求无效", BadRequestDetail(e)),
            UnauthorizedAccessException => Problem(StatusCodes.Status401Unauthorized, "未登录", "请先登录"),
            NotFoundException e => Problem(StatusCodes.Status404NotFound, "未找到", e.Message),
            ForbiddenException e => Problem(StatusCodes.Status403Forbidden, "无权操作", e.Message),
            WorkflowConflictException e => Problem(StatusCodes.Status409Conflict, "操作冲突", e.Message),
            _ => null,
        };
        if (problem is null)
        {
            logger.LogError(exception, "Unhandled error on {Path}", http.Request.Path);
            problem = Problem(StatusCodes.Status500InternalServerError, "服务器内部错误", "服务器处理请求时出错，请稍后重试或联系管理员");
        }
        http.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    private static string BadRequestDetail(BadHttpRequestException e) =>
        e.InnerException is System.Text.Json.JsonException json
            ? $"请求体不是有效的 JSON：{json.Path}"
            : "请求格式不正确";

    private static ProblemDetails Problem(int status, string title, string detail) => new() { Status = status, Title = title, Detail = detail };

    public static HttpValidationProblemDetails Validation(string detail, IDictionary<string, string[]> errors) => new(errors)
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "提交的数据有误",
        Detail = detail,
    };
}
