namespace WeOps.Server.Forms;

public static class FormsSetup
{
    public static void AddWeOpsForms(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<FormPickers>();
        builder.Services.AddSingleton<ProcessForms>();
    }
}
