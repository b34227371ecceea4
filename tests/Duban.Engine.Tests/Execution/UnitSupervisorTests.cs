using Duban.Engine.Directory;
using Duban.Engine.Tests.Execution.Support;

namespace Duban.Engine.Tests.Execution;

/// <summary>分管领导 of a unit: its own, else the nearest unit above it that names one (001 第十八条(二)).</summary>
public sealed class UnitSupervisorTests
{
    [Fact]
    public void A_unit_without_its_own_is_in_the_charge_of_the_one_above_it_and_its_own_comes_first()
    {
        var org = new TestOrganization();
        Assert.Null(org.SupervisorOf(TestOrganization.Legal));
        org.SetSupervisor(TestOrganization.Department, TestOrganization.Liu);
        Assert.Equal(TestOrganization.Liu, org.SupervisorOf(TestOrganization.Legal));
        Assert.Equal(TestOrganization.Liu, org.SupervisorOf(TestOrganization.Department));
        org.SetSupervisor(TestOrganization.Legal, TestOrganization.Chen);
        Assert.Equal(TestOrganization.Chen, org.SupervisorOf(TestOrganization.Legal));
        // A person no longer in the directory is nobody's 分管领导: the one above is asked.
        org.SetSupervisor(TestOrganization.Legal, "gone");
        Assert.Equal(TestOrganization.Liu, org.SupervisorOf(TestOrganization.Legal));
        Assert.Null(org.SupervisorOf("unknown"));
        Assert.Null(org.SupervisorOf(null));
    }
}
