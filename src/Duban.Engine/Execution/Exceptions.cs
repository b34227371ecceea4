using Duban.Engine.Forms;

namespace Duban.Engine.Execution;

/// <summary>The event lost a race or came too late: the bookmark or task was already consumed. HTTP 409.</summary>
public sealed class WorkflowConflictException(string message) : Exception(message);

/// <summary>The caller's input is wrong; nothing was changed. HTTP 400 with per-field errors.</summary>
public sealed class WorkflowInputException(string message, IReadOnlyList<FieldError> errors) : Exception(message)
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;

    public WorkflowInputException(string field, string message) : this(message, [new FieldError(field, message)]) { }
}

/// <summary>An activity failed at run time (bad script, nobody to assign). Becomes an incident on the instance.</summary>
public sealed class ActivityFaultException(string message, Exception? inner = null) : Exception(message, inner);
