namespace WeOps.Designer.Tests;

[Collection(DesignerCollection.Name)]
public sealed class SmokeTests(DesignerFixture designer)
{
    [Fact]
    public async Task Signs_in_and_opens_the_designer()
    {
        var page = await designer.SignedInPageAsync();
        await page.GotoAsync("/#/designer");
        await page.Locator(".djs-palette").WaitForAsync();
        await DesignerFixture.ScreenshotAsync(page, "smoke-designer");
    }
}
