using System.Text.Json.Nodes;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Duban.Engine.Forms;

namespace Duban.Engine.Activities;

/// <summary>Takes a step's form submission: validate against the form and the step's permissions, then merge into the item.</summary>
internal static class StepForms
{
    /// <summary>Returns the validated values that were merged (null when the step has no form).</summary>
    /// <param name="unitId">The unit the submission is made for; the handler's own unit when not given.</param>
    public static JsonObject? Accept(ActivityContext context, string? formId, IReadOnlyDictionary<string, FieldPermission> permissions, JsonObject? data,
        string? unitId = null)
    {
        if (formId is null)
        {
            if (data is { Count: > 0 })
                throw new WorkflowInputException("data", "该环节没有表单，不接受表单数据");
            return null;
        }
        var form = context.Definition.FindForm(formId)
            ?? throw new ActivityFaultException($"「{context.Node.DisplayName}」引用的表单「{formId}」不存在");

        data = DateStamps.WithDefaults(form, data, context.State.Data, permissions, context.Now);
        var result = FormValidator.Validate(form, data, new FormContext
        {
            Permissions = permissions,
            CurrentData = context.State.Data,
            IsVisible = (field, merged) => ActivityContext.Truthy(context.RunFormScript(field.VisibleWhen!, merged, data).Value),
            References = new OrganizationReferences(context.Organization),
        });
        if (!result.IsValid)
            throw new WorkflowInputException("表单填写有误，请检查标出的字段", result.Errors);

        var actor = context.Actor;
        context.State.Submissions.Add(new StepSubmission(context.Node.Id, context.Node.DisplayName, context.Round, context.Now, actor.Name,
            (JsonObject)result.Values.DeepClone(), unitId ?? actor.UnitId));
        var merged = FormDataMerger.Merge(form, context.State.Data, result.Values,
            new OpinionStamp(actor.Id, actor.Name, actor.UnitName, context.Node.DisplayName, context.Now));
        DateStamps.FillDefaults(form, merged, context.Now);
        context.State.Data = FormComputer.ApplyComputed(form, merged, (script, current) => context.RunFormScript(script, current, data).Value);
        return result.Values;
    }

    private sealed class OrganizationReferences(IOrganization organization) : IFormReferences
    {
        public bool UnitExists(string id) => organization.FindUnit(id) is not null;
        public bool UserExists(string id) => organization.FindUser(id) is not null;
    }
}
