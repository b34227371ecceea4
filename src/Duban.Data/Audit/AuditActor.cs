namespace Duban.Data.Audit;

/// <summary>
/// Who is acting in this scope and from where, for the audit log: the server fills it per request from the sign-in; a
/// background job leaves it empty (the system acts).
/// </summary>
public sealed class AuditActor
{
    public string? UserId { get; set; }
    public string? UserName { get; set; }
    public string? Address { get; set; }
}
