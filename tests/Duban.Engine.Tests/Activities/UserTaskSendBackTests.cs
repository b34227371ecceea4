using Duban.Engine.Activities;

namespace Duban.Engine.Tests.Activities;

/// <summary>
/// A journal line says whether its step sent the work back; scoring and the breakdown's progress both read it this way,
/// so an outcome an organization calls 复办 or 不满意重办 counts as 退回 does (docs/decisions/022).
/// </summary>
public class UserTaskSendBackTests
{
    [Theory]
    [InlineData("退回", null, true)]                                   // literally 退回: lines from before the property
    [InlineData("复办", """{"sendsBack":true}""", true)]               // the designer marked the outcome
    [InlineData("不满意重办", """{"sendsBack":true,"x":1}""", true)]
    [InlineData("复办", null, false)]                                  // a name alone does not send back
    [InlineData("通过", """{"sendsBack":false}""", false)]
    [InlineData("通过", """{"note":"sendsBack"}""", false)]            // the word in another field is not the flag
    public void A_journal_line_sent_back_when_its_outcome_was_marked_or_is_literally_return(string outcome, string? data, bool sentBack) =>
        Assert.Equal(sentBack, UserTaskSendBack.SentBack(outcome, data));
}
