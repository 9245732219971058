package io.growthos.platform.bootstrap;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * First-start bootstrap, from the environment ({@code GROWTHOS_BOOTSTRAP_*}), so a deployment comes
 * up with known keys. Every key is optional; those given are created if absent, and a workspace is
 * created for the write and secret keys if neither exists yet.
 *
 * @param workspaceId the id of the bootstrap workspace; generated when absent
 * @param workspaceName its name
 * @param plan its plan: free, growth or scale
 * @param writeKey a {@code gos_wk_} key to create
 * @param secretKey a {@code gos_sk_} key to create, with scope {@code *}
 * @param adminKey a {@code gos_ak_} key to create
 */
@ConfigurationProperties("growthos.bootstrap")
public record BootstrapProperties(
    String workspaceId,
    @DefaultValue("Default workspace") String workspaceName,
    @DefaultValue("scale") String plan,
    String writeKey,
    String secretKey,
    String adminKey) {

  boolean isEmpty() {
    return writeKey == null && secretKey == null && adminKey == null;
  }
}
