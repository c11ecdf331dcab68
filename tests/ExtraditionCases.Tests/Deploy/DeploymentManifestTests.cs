using System.Reflection;
using System.Text.RegularExpressions;
using ExtraditionCases.Api.Auth;
using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Infrastructure.Persistence;
using Microsoft.AspNetCore.Builder;
using YamlDotNet.RepresentationModel;

namespace ExtraditionCases.Tests.Deploy;

/// <summary>
/// No container engine or cluster runs where these tests run, so the deployment files are checked as
/// data: they parse, and they say what the service needs (order of start, health paths, no secrets,
/// a non-root read-only runtime, configuration keys the service really reads).
/// </summary>
public sealed class DeploymentManifestTests
{
    private const string Compose = "deploy/docker-compose.yml";
    private const string SecretTemplate = "deploy/k8s/secret.template.yaml";
    private const string Image = "extradition-cases-api";

    /// <summary><c>${NAME}</c> or <c>${NAME:?message}</c>: from the environment, with no default to fall back on.</summary>
    private static readonly Regex RequiredInterpolation = new(@"^\$\{[A-Z][A-Z0-9_]*(:?\?[^}]*)?\}$");

    private static readonly Regex SecretName = new(@"PASSWORD|SECRET|TOKEN|SIGNING_?KEY$|SigningKeys__\d+__Value$", RegexOptions.IgnoreCase);

    // ---- docker compose ----

    [Test]
    public void Compose_starts_sql_server_then_a_one_shot_migration_then_the_api()
    {
        var services = DeployFiles.Single(Compose).At("services")!;

        Assert.Multiple(() =>
        {
            Assert.That(services.Keys(), Is.EquivalentTo(new[] { "sqlserver", "migrate", "provision", "api" }));
            Assert.That(services.Scalar("migrate", "depends_on", "sqlserver", "condition"), Is.EqualTo("service_healthy"));
            Assert.That(services.Scalars("migrate", "command"), Is.EqualTo(new[] { "migrate" }));
            Assert.That(services.Scalar("migrate", "restart"), Is.EqualTo("no"));
            Assert.That(services.Scalar("migrate", "image"), Is.EqualTo(services.Scalar("api", "image")));
            Assert.That(services.Scalar("migrate", "build", "dockerfile"), Is.EqualTo("deploy/Dockerfile"));
            Assert.That(services.Scalar("api", "build", "dockerfile"), Is.EqualTo("deploy/Dockerfile"));
            Assert.That(services.Scalar("api", "depends_on", "migrate", "condition"), Is.EqualTo("service_completed_successfully"));
            // The API's own login is made after the migrations and before the API starts; the API never connects as sa.
            Assert.That(services.Scalar("provision", "depends_on", "migrate", "condition"), Is.EqualTo("service_completed_successfully"));
            Assert.That(services.Scalar("api", "depends_on", "provision", "condition"), Is.EqualTo("service_completed_successfully"));
            Assert.That(EnvironmentOf(services.At("api")!)["ConnectionStrings__Cases"], Does.Not.Contain("User ID=sa;"));
        });
    }

    [Test]
    public void Compose_sql_server_keeps_its_data_in_a_named_volume_and_reports_health_with_sqlcmd()
    {
        var compose = DeployFiles.Single(Compose);
        var sqlServer = compose.At("services", "sqlserver")!;
        var environment = EnvironmentOf(sqlServer);
        var healthcheck = string.Join(' ', sqlServer.Scalars("healthcheck", "test"));

        Assert.Multiple(() =>
        {
            Assert.That(sqlServer.Scalar("image"), Is.EqualTo("mcr.microsoft.com/mssql/server:2022-latest"));
            Assert.That(environment["ACCEPT_EULA"], Is.EqualTo("Y"));
            Assert.That(environment["MSSQL_SA_PASSWORD"], Does.Match(RequiredInterpolation.ToString()));
            Assert.That(sqlServer.Scalars("volumes"), Does.Contain("sqlserver-data:/var/opt/mssql"));
            Assert.That(compose.Keys("volumes"), Does.Contain("sqlserver-data"));
            Assert.That(healthcheck, Does.Contain("/opt/mssql-tools18/bin/sqlcmd -C "));
            Assert.That(healthcheck, Does.Contain("SELECT 1"));
        });
    }

    [Test]
    public void Compose_api_runs_on_sql_server_without_migrating_read_only_and_on_the_loopback()
    {
        var api = DeployFiles.Single(Compose).At("services", "api")!;
        var environment = EnvironmentOf(api);

        Assert.Multiple(() =>
        {
            Assert.That(environment["Database__Provider"], Is.EqualTo("SqlServer"));
            Assert.That(environment["Database__MigrateOnStartup"], Is.EqualTo("false"));
            Assert.That(environment, Does.ContainKey("ConnectionStrings__Cases"));
            Assert.That(environment, Does.ContainKey("Authentication__Issuers__PK__Authority"));
            Assert.That(environment["Authentication__Issuers__PK__Countries__0"], Is.EqualTo("PK"));
            Assert.That(environment, Does.ContainKey("Authentication__Issuers__GB__Authority"));
            Assert.That(environment["Authentication__Issuers__GB__Countries__0"], Is.EqualTo("GB"));
            Assert.That(environment.Keys, Has.None.Contains("SigningKeys"), "production verifies published keys; no shared secret");
            Assert.That(environment, Does.ContainKey("ForwardedHeaders__KnownNetworks__0"));
            Assert.That(api.Scalar("read_only"), Is.EqualTo("true"));
            Assert.That(api.Scalars("tmpfs"), Does.Contain("/tmp"));
            Assert.That(api.Scalars("ports"), Is.Not.Empty.And.All.Match(@"^127\.0\.0\.1:\d+:8080$"));
        });
    }

    [Test]
    public void Compose_holds_no_secret_value_only_references_to_the_environment()
    {
        var compose = DeployFiles.Single(Compose);
        var services = compose.At("services")!;

        Assert.Multiple(() =>
        {
            foreach (var service in services.Keys())
            {
                foreach (var (name, value) in EnvironmentOf(services.At(service)!).Where(e => SecretName.IsMatch(e.Key)))
                    Assert.That(value, Does.Match(RequiredInterpolation.ToString()), $"{service}: {name}");
            }

            foreach (var scalar in compose.AllScalars())
            {
                foreach (Match password in Regex.Matches(scalar, @"Password=([^;""]*)", RegexOptions.IgnoreCase))
                    Assert.That(password.Groups[1].Value, Does.Match(RequiredInterpolation.ToString()), scalar);
                foreach (Match password in Regex.Matches(scalar, @"\s-P\s+""?([^""\s]*)"))
                    Assert.That(password.Groups[1].Value, Does.StartWith("$$"), "sqlcmd must read the password from the container's environment");
            }
        });
    }

    [Test]
    public void Every_variable_compose_requires_is_listed_in_the_env_example_and_no_secret_there_has_a_value()
    {
        var example = File.ReadAllLines(DeployFiles.PathOf("deploy/.env.example"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        var used = DeployFiles.Single(Compose).AllScalars()
            .SelectMany(scalar => Regex.Matches(scalar, @"\$\{([A-Z][A-Z0-9_]*)").Select(m => m.Groups[1].Value))
            .Distinct();

        Assert.Multiple(() =>
        {
            foreach (var name in used) Assert.That(example, Does.ContainKey(name), $"{name} is used by compose but not in deploy/.env.example");
            foreach (var (name, value) in example.Where(e => SecretName.IsMatch(e.Key) && !e.Key.EndsWith("_ID", StringComparison.Ordinal)))
                Assert.That(value, Is.Empty, name);
        });
    }

    // ---- Kubernetes ----

    [Test]
    public void Every_kubernetes_manifest_parses_names_its_kind_and_leaves_the_namespace_open()
    {
        var manifests = DeployFiles.KubernetesManifests().ToList();
        Assert.That(manifests, Has.Count.GreaterThanOrEqualTo(7));

        Assert.Multiple(() =>
        {
            foreach (var file in manifests)
            {
                var documents = DeployFiles.Documents(file);
                Assert.That(documents, Is.Not.Empty, file);
                foreach (var document in documents)
                {
                    Assert.That(document.Scalar("apiVersion"), Is.Not.Null.And.Not.Empty, file);
                    Assert.That(document.Scalar("kind"), Is.Not.Null.And.Not.Empty, file);
                    Assert.That(document.Scalar("metadata", "name"), Does.Match("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"), file);
                    Assert.That(document.At("metadata", "namespace"), Is.Null, $"{file} should not fix a namespace");
                }
            }
        });
    }

    [Test]
    public void The_kustomization_lists_every_manifest_but_the_secret_template()
    {
        var kustomization = DeployFiles.Single("deploy/k8s/kustomization.yaml");
        var expected = DeployFiles.KubernetesManifests().Select(f => Path.GetFileName(f)).Where(name => name != Path.GetFileName(SecretTemplate));

        Assert.Multiple(() =>
        {
            Assert.That(kustomization.Scalar("kind"), Is.EqualTo("Kustomization"));
            Assert.That(kustomization.Scalars("resources"), Is.EquivalentTo(expected));
            Assert.That(kustomization.At("namespace"), Is.Null);
            Assert.That(kustomization.Scalar("images", "0", "name"), Is.EqualTo(Image));
        });
    }

    [Test]
    public void The_deployment_runs_at_least_two_replicas_that_never_migrate_with_health_probes_and_resources()
    {
        var deployment = Manifest("Deployment");
        var container = OnlyContainer(deployment);
        var ports = container.Items("ports").SelectMany(p => new[] { p.Scalar("name"), p.Scalar("containerPort") }).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(int.Parse(deployment.Scalar("spec", "replicas")!, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(2));
            Assert.That(EnvironmentOf(container)["Database__MigrateOnStartup"], Is.EqualTo("false"));
            Assert.That(container.Scalar("readinessProbe", "httpGet", "path"), Is.EqualTo("/health/ready"));
            Assert.That(container.Scalar("livenessProbe", "httpGet", "path"), Is.EqualTo("/health/live"));
            if (container.At("startupProbe") is not null)
                Assert.That(container.Scalar("startupProbe", "httpGet", "path"), Is.EqualTo("/health/live"));
            foreach (var probe in new[] { "readinessProbe", "livenessProbe", "startupProbe" }.Where(p => container.At(p) is not null))
                Assert.That(ports, Does.Contain(container.Scalar(probe, "httpGet", "port")), probe);
            Assert.That(container.Scalar("ports", "0", "containerPort"), Is.EqualTo("8080"));
            foreach (var bound in new[] { "requests", "limits" })
            {
                Assert.That(container.Scalar("resources", bound, "cpu"), Is.Not.Null.And.Not.Empty, bound);
                Assert.That(container.Scalar("resources", bound, "memory"), Is.Not.Null.And.Not.Empty, bound);
            }
        });
    }

    [TestCase("Deployment")]
    [TestCase("Job")]
    public void Pods_run_non_root_read_only_without_privileges_with_an_empty_dir_for_tmp(string kind)
    {
        var workload = Manifest(kind);
        var pod = workload.At("spec", "template", "spec")!;
        var container = OnlyContainer(workload);
        var tmp = container.Items("volumeMounts").SingleOrDefault(m => m.Scalar("mountPath") == "/tmp");

        Assert.Multiple(() =>
        {
            Assert.That(pod.Scalar("securityContext", "runAsNonRoot"), Is.EqualTo("true"));
            Assert.That(pod.Scalar("securityContext", "runAsUser"), Is.Not.EqualTo("0"));
            Assert.That(pod.Scalar("securityContext", "seccompProfile", "type"), Is.EqualTo("RuntimeDefault"));
            Assert.That(container.Scalar("securityContext", "readOnlyRootFilesystem"), Is.EqualTo("true"));
            Assert.That(container.Scalar("securityContext", "allowPrivilegeEscalation"), Is.EqualTo("false"));
            Assert.That(container.Scalars("securityContext", "capabilities", "drop"), Does.Contain("ALL"));
            Assert.That(container.At("securityContext", "privileged"), Is.Null);
            Assert.That(tmp, Is.Not.Null, "/tmp must be writable");
            var volume = pod.Items("volumes").Single(v => v.Scalar("name") == tmp!.Scalar("name"));
            Assert.That(volume.At("emptyDir"), Is.Not.Null);
            Assert.That(container.Scalar("image"), Is.EqualTo(Image));
        });
    }

    [Test]
    public void The_service_the_budget_and_the_autoscaler_all_point_at_the_deployments_pods()
    {
        var deployment = Manifest("Deployment");
        var podLabels = Labels(deployment.At("spec", "template", "metadata", "labels"));
        var service = Manifest("Service");
        var hpa = Manifest("HorizontalPodAutoscaler");
        var budget = Manifest("PodDisruptionBudget");
        var migrationPodLabels = Labels(Manifest("Job").At("spec", "template", "metadata", "labels"));
        var serviceSelector = Labels(service.At("spec", "selector"));

        Assert.Multiple(() =>
        {
            Assert.That(podLabels, Is.SupersetOf(Labels(deployment.At("spec", "selector", "matchLabels"))));
            Assert.That(podLabels, Is.SupersetOf(serviceSelector));
            Assert.That(migrationPodLabels, Is.Not.SupersetOf(serviceSelector), "migration pods must take no traffic");
            Assert.That(service.Scalar("spec", "ports", "0", "targetPort"), Is.EqualTo(OnlyContainer(deployment).Scalar("ports", "0", "name")));
            Assert.That(podLabels, Is.SupersetOf(Labels(budget.At("spec", "selector", "matchLabels"))));
            Assert.That(hpa.Scalar("apiVersion"), Is.EqualTo("autoscaling/v2"));
            Assert.That(hpa.Scalar("spec", "scaleTargetRef", "apiVersion"), Is.EqualTo("apps/v1"));
            Assert.That(hpa.Scalar("spec", "scaleTargetRef", "kind"), Is.EqualTo("Deployment"));
            Assert.That(hpa.Scalar("spec", "scaleTargetRef", "name"), Is.EqualTo(deployment.Scalar("metadata", "name")));
            Assert.That(int.Parse(hpa.Scalar("spec", "minReplicas")!, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(2));
            Assert.That(hpa.Items("spec", "metrics").Select(m => m.Scalar("resource", "name")), Does.Contain("cpu"));
        });
    }

    [Test]
    public void The_migration_job_runs_migrate_once_with_the_api_image_and_cleans_up_after_itself()
    {
        var job = Manifest("Job");
        var container = OnlyContainer(job);

        Assert.Multiple(() =>
        {
            Assert.That(job.Scalar("apiVersion"), Is.EqualTo("batch/v1"));
            Assert.That(container.Scalars("args"), Is.EqualTo(new[] { "migrate" }));
            Assert.That(container.At("command"), Is.Null, "the image's entry point runs the service");
            Assert.That(container.Scalar("image"), Is.EqualTo(OnlyContainer(Manifest("Deployment")).Scalar("image")));
            Assert.That(job.Scalar("spec", "backoffLimit"), Is.Not.Null);
            Assert.That(job.Scalar("spec", "ttlSecondsAfterFinished"), Is.Not.Null);
            Assert.That(job.Scalar("spec", "template", "spec", "restartPolicy"), Is.AnyOf("Never", "OnFailure"));
            Assert.That(EnvironmentOf(container), Does.ContainKey("ConnectionStrings__Cases"));
        });
    }

    [Test]
    public void Configuration_comes_from_the_config_map_and_secrets_from_the_secret_template_keys()
    {
        var configMap = Manifest("ConfigMap");
        var secret = DeployFiles.Single(SecretTemplate);
        var secretKeys = secret.Keys("stringData");

        Assert.Multiple(() =>
        {
            Assert.That(configMap.Scalar("data", "Database__Provider"), Is.EqualTo("SqlServer"), "replicas must never run on SQLite");
            Assert.That(configMap.Keys("data").Where(k => SecretName.IsMatch(k) || k.StartsWith("ConnectionStrings", StringComparison.OrdinalIgnoreCase)), Is.Empty);
            foreach (var kind in new[] { "Deployment", "Job" })
            {
                var container = OnlyContainer(Manifest(kind));
                Assert.That(container.Items("envFrom").Select(e => e.Scalar("configMapRef", "name")), Does.Contain(configMap.Scalar("metadata", "name")), kind);
                foreach (var reference in container.Items("env").Select(e => e.At("valueFrom", "secretKeyRef")).OfType<YamlMappingNode>())
                {
                    Assert.That(reference.Scalar("name"), Is.EqualTo(secret.Scalar("metadata", "name")), kind);
                    Assert.That(secretKeys, Does.Contain(reference.Scalar("key")), kind);
                }

                foreach (var (name, value) in EnvironmentOf(container).Where(e => SecretName.IsMatch(e.Key) || e.Key.StartsWith("ConnectionStrings", StringComparison.OrdinalIgnoreCase)))
                    Assert.That(value, Is.Null, $"{kind}: {name} must come from the Secret, not a literal");
            }
        });
    }

    [Test]
    public void The_secret_template_holds_placeholders_only()
    {
        var secret = DeployFiles.Single(SecretTemplate);

        Assert.Multiple(() =>
        {
            Assert.That(secret.Scalar("kind"), Is.EqualTo("Secret"));
            Assert.That(secret.At("data"), Is.Null, "base64 data would hide what it holds");
            Assert.That(secret.Keys("stringData"), Is.Not.Empty);
            foreach (var key in secret.Keys("stringData"))
                Assert.That(secret.Scalar("stringData", key), Does.Match("^<set-me[^>]*>$"), key);
            Assert.That(DeployFiles.Text(SecretTemplate), Does.Contain("TEMPLATE"));
        });
    }

    // ---- The image ----

    [Test]
    public void The_dockerfile_builds_on_official_images_restores_before_copying_sources_and_runs_as_non_root()
    {
        var instructions = DockerfileInstructions();
        var froms = instructions.Where(i => i.Verb == "FROM").ToList();
        var lastFrom = instructions.IndexOf(froms[^1]);
        var restore = instructions.FindIndex(i => i.Verb == "RUN" && i.Arguments.Contains("dotnet restore", StringComparison.Ordinal));
        var copySources = instructions.FindIndex(i => i.Verb == "COPY" && i.Arguments.StartsWith("src/ ", StringComparison.Ordinal));
        var users = instructions.Skip(lastFrom).Where(i => i.Verb == "USER").ToList();

        Assert.Multiple(() =>
        {
            Assert.That(froms, Has.Count.EqualTo(2));
            Assert.That(froms[0].Arguments, Does.Match(@"(^|\s)mcr\.microsoft\.com/dotnet/sdk:10\.0\s+AS\s+\w+$"));
            Assert.That(froms[1].Arguments, Does.Match(@"^mcr\.microsoft\.com/dotnet/aspnet:10\.0(\s+AS\s+\w+)?$"));
            Assert.That(restore, Is.GreaterThan(0).And.LessThan(copySources), "restore from the project files before the sources are copied");
            Assert.That(instructions.Take(restore).Where(i => i.Verb == "COPY").Select(i => i.Arguments),
                Has.All.Match(@"^(\S+\.(csproj|props|json)\s+)+\S+$"), "only project and package files go into the restore layer");
            Assert.That(instructions.Any(i => i.Verb == "COPY" && i.Arguments.StartsWith("db/ ", StringComparison.Ordinal)), Is.True, "migrations are embedded from db/");
            Assert.That(instructions.Any(i => i.Verb == "RUN" && i.Arguments.Contains("dotnet publish", StringComparison.Ordinal) && i.Arguments.Contains("Release", StringComparison.Ordinal)), Is.True);
            Assert.That(users, Is.Not.Empty);
            Assert.That(users[^1].Arguments, Is.Not.AnyOf("root", "0", "0:0"));
            Assert.That(instructions.Where(i => i.Verb == "EXPOSE").Select(i => i.Arguments), Is.EqualTo(new[] { "8080" }));
            Assert.That(instructions[^1].Verb, Is.EqualTo("ENTRYPOINT"));
            Assert.That(instructions[^1].Arguments, Does.Contain("ExtraditionCases.Api.dll"));
            Assert.That(instructions.Where(i => i.Verb is "ENV" or "ARG").Select(i => i.Arguments), Has.None.Matches<string>(SecretName.IsMatch));
            Assert.That(instructions.Where(i => i.Verb == "HEALTHCHECK").Select(i => i.Arguments), Has.All.Contains("/health/live"));
        });
    }

    [Test]
    public void The_docker_build_context_leaves_out_build_output_local_data_and_git()
    {
        var ignored = File.ReadAllLines(DeployFiles.PathOf(".dockerignore")).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(ignored, Is.SupersetOf(new[] { ".git", "**/bin/", "**/obj/", "**/data/", "**/TestResults/" }));
            Assert.That(ignored, Has.None.Match("^/?(src|db)/?$"));
        });
    }

    // ---- Configuration keys ----

    [Test]
    public void Every_environment_variable_the_deployment_files_give_the_service_is_a_key_it_reads()
    {
        var names = new List<(string Where, string Name)>();
        var services = DeployFiles.Single(Compose).At("services")!;
        foreach (var service in services.Keys().Where(s => services.Scalar(s, "image")?.StartsWith(Image, StringComparison.Ordinal) == true))
            names.AddRange(EnvironmentOf(services.At(service)!).Keys.Select(n => ($"compose {service}", n)));
        foreach (var kind in new[] { "Deployment", "Job" })
            names.AddRange(EnvironmentOf(OnlyContainer(Manifest(kind))).Keys.Select(n => (kind, n)));
        names.AddRange(Manifest("ConfigMap").Keys("data").Select(n => ("ConfigMap", n)));

        Assert.That(names, Has.Count.GreaterThan(10));
        Assert.That(names.Where(n => !ConfigurationKeys.IsKnownEnvironmentVariable(n.Name)), Is.Empty);
    }

    [Test]
    public void The_known_keys_match_the_options_the_service_binds()
    {
        // ConnectionString is bound from ConnectionStrings:Cases, not from the Database section.
        var database = typeof(DatabaseOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is not null && p.Name != nameof(DatabaseOptions.ConnectionString))
            .Select(p => $"{DatabaseOptions.SectionName}:{p.Name}");
        var deadlines = typeof(DeadlineOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => p.Name);

        Assert.Multiple(() =>
        {
            Assert.That(ConfigurationKeys.Known.Where(k => k.StartsWith("Database:", StringComparison.Ordinal)), Is.EquivalentTo(database));
            Assert.That(ConfigurationKeys.Known.Where(k => k.StartsWith($"{DeadlineOptions.SectionName}:", StringComparison.Ordinal)).Select(k => k.Split(':')[1]),
                Is.EquivalentTo(deadlines));
            Assert.That(ConfigurationKeys.Known.Where(k => k.StartsWith("Authentication:", StringComparison.Ordinal)),
                Has.All.StartWith($"{BearerAuthentication.Section}:").Or.StartWith("Authentication:Issuers:").Or.StartWith("Authentication:Validation:"));
            Assert.That(KeysUnder("Authentication:Issuers:<name>:"), Is.EquivalentTo(SettableProperties(typeof(IssuerSettings))));
            Assert.That(KeysUnder("Authentication:Validation:"), Is.EquivalentTo(SettableProperties(typeof(TokenSettings))));
            Assert.That(KeysUnder($"{ExtraditionCases.Api.Http.ProxySettings.SectionName}:"), Is.EquivalentTo(SettableProperties(typeof(ExtraditionCases.Api.Http.ProxySettings))));
            Assert.That(KeysUnder($"{ExtraditionCases.Api.Http.HealthSettings.SectionName}:"), Is.EquivalentTo(SettableProperties(typeof(ExtraditionCases.Api.Http.HealthSettings))));
            Assert.That(ConfigurationKeys.Known.Where(k => k.StartsWith(ObservabilityExtensions.TelemetrySection + ":", StringComparison.Ordinal)),
                Is.EquivalentTo(new[] { ObservabilityExtensions.OtlpEndpointKey, ObservabilityExtensions.OtlpProtocolKey, ObservabilityExtensions.ServiceNameKey }));
            Assert.That(ConfigurationKeys.Known, Does.Contain(ExtraditionCases.Api.OpenApi.ApiDocumentation.EnableReferenceKey));
            Assert.That(ConfigurationKeys.Known.Where(k => k.StartsWith("Transparency:", StringComparison.Ordinal)).Select(k => k.Split(':')[1]),
                Is.EquivalentTo(typeof(ExtraditionCases.Application.Transparency.TransparencyOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name)));
            Assert.That(ConfigurationKeys.Known.Where(k => k.StartsWith("AccessLog:", StringComparison.Ordinal)).Select(k => k.Split(':')[1]),
                Is.EquivalentTo(typeof(ExtraditionCases.Infrastructure.Access.AccessLogOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name)));
            Assert.That(ConfigurationKeys.Known, Does.Contain(ObservabilityExtensions.OtelEndpointVariable).And.Contain(ObservabilityExtensions.OtelServiceNameVariable));
        });
    }

    [Test]
    public void The_operations_guide_documents_every_known_key_and_the_deployment_guide_points_to_it()
    {
        var guide = DeployFiles.Text("docs/operations.md");

        Assert.Multiple(() =>
        {
            Assert.That(ConfigurationKeys.Known.Where(key => !guide.Contains($"`{key}`", StringComparison.Ordinal)), Is.Empty);
            Assert.That(DeployFiles.Text("docs/deploy.md"), Does.Contain("(operations.md#configuration-reference)"));
        });
    }

    [Test]
    public void Kubernetes_trusts_one_provider_per_state_for_its_own_country_and_the_ingress_for_forwarded_headers()
    {
        var data = Manifest("ConfigMap").At("data")!;
        var states = data.Keys().Where(k => k.StartsWith("Authentication__Issuers__", StringComparison.Ordinal)).Select(k => k.Split("__")[2]).Distinct().ToList();

        Assert.Multiple(() =>
        {
            Assert.That(states, Is.EquivalentTo(new[] { "PK", "GB" }));
            foreach (var state in states)
            {
                Assert.That(data.Scalar($"Authentication__Issuers__{state}__Countries__0"), Is.EqualTo(state));
                Assert.That(data.Scalar($"Authentication__Issuers__{state}__Authority"), Is.Not.Null.And.Not.Empty);
                Assert.That(data.Scalar($"Authentication__Issuers__{state}__Audience"), Is.Not.Null.And.Not.Empty);
            }

            Assert.That(data.Keys(), Has.None.Contains("SigningKeys"), "no shared secret in production");
            Assert.That(data.Scalar("ForwardedHeaders__KnownNetworks__0"), Is.Not.Null.And.Not.Empty);
            Assert.That(int.Parse(data.Scalar("Health__ReadyTimeoutSeconds")!, System.Globalization.CultureInfo.InvariantCulture),
                Is.LessThan(int.Parse(OnlyContainer(Manifest("Deployment")).Scalar("readinessProbe", "timeoutSeconds")!, System.Globalization.CultureInfo.InvariantCulture)),
                "the check gives up before the probe does");
        });
    }

    private static IEnumerable<string> KeysUnder(string prefix) =>
        ConfigurationKeys.Known.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Select(k => k[prefix.Length..].Split(':')[0]);

    private static IEnumerable<string> SettableProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null).Select(p => p.Name);

    // ---- helpers ----

    private static YamlMappingNode Manifest(string kind)
    {
        var matches = DeployFiles.KubernetesManifests().Where(f => f != SecretTemplate)
            .SelectMany(DeployFiles.Documents)
            .Where(d => d.Scalar("kind") == kind)
            .ToList();
        return matches is [var only] ? only : throw new InvalidDataException($"Expected one {kind} in deploy/k8s, found {matches.Count}.");
    }

    private static YamlNode OnlyContainer(YamlNode workload) =>
        workload.Items("spec", "template", "spec", "containers") is [var only]
            ? only
            : throw new InvalidDataException($"{workload.Scalar("metadata", "name")} should have one container.");

    /// <summary>
    /// A compose service's environment (a mapping, or a list of NAME=value) or a Kubernetes container's
    /// env (value, or null when it comes from a reference).
    /// </summary>
    private static Dictionary<string, string?> EnvironmentOf(YamlNode node)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        switch (node.At("environment") ?? node.At("env"))
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children) result[((YamlScalarNode)key).Value!] = (value as YamlScalarNode)?.Value;
                break;
            case YamlSequenceNode list:
                foreach (var item in list.Children)
                {
                    if (item is YamlScalarNode { Value: { } text })
                    {
                        var pair = text.Split('=', 2);
                        result[pair[0]] = pair.Length == 2 ? pair[1] : null;
                    }
                    else
                    {
                        result[item.Scalar("name")!] = item.Scalar("value");
                    }
                }

                break;
        }

        return result;
    }

    private static Dictionary<string, string> Labels(YamlNode? node) =>
        node is YamlMappingNode map
            ? map.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value!, StringComparer.Ordinal)
            : [];

    private sealed record Instruction(string Verb, string Arguments);

    /// <summary>The Dockerfile's instructions, continuation lines joined and comments dropped.</summary>
    private static List<Instruction> DockerfileInstructions()
    {
        var logical = new List<string>();
        var current = "";
        foreach (var raw in File.ReadAllLines(DeployFiles.PathOf("deploy/Dockerfile")))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && current.Length == 0)) continue;
            if (line.EndsWith('\\'))
            {
                current += line[..^1] + " ";
                continue;
            }

            logical.Add(current + line);
            current = "";
        }

        return logical.Where(l => l.Length > 0).Select(l =>
        {
            var parts = l.Split(' ', 2, StringSplitOptions.TrimEntries);
            return new Instruction(parts[0].ToUpperInvariant(), Regex.Replace(parts.Length > 1 ? parts[1] : "", @"\s+", " "));
        }).ToList();
    }
}
