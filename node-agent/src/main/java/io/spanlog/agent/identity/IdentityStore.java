package io.spanlog.agent.identity;

import io.spanlog.agent.wireguard.WireGuardSecret;
import io.spanlog.identity.KubeSpanAddressing;
import io.spanlog.identity.NodeIds;
import io.spanlog.net.IpPrefix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The node's persistent identity in its state folder: {@code kubespan-identity.yaml} (fields
 * {@code address}, {@code subnet}, {@code privateKey}, {@code publicKey}) and {@code node-id},
 * both mode 0600, created on first start and reused afterwards.
 *
 * <p>The private key is never regenerated once stored. Address and subnet are derived again at each
 * start from the cluster id and MAC; if they changed (another cluster id, another first NIC) the
 * file is rewritten with the same keys, which is what a restart on a changed machine needs.
 */
public final class IdentityStore {
  public static final String IDENTITY_FILE = "kubespan-identity.yaml";
  public static final String NODE_ID_FILE = "node-id";

  private final Path stateFolder;
  private final SecureRandom random;

  public IdentityStore(Path stateFolder, SecureRandom random) {
    this.stateFolder = Objects.requireNonNull(stateFolder, "stateFolder");
    this.random = Objects.requireNonNull(random, "random");
  }

  public KubeSpanIdentity loadOrCreate(String clusterId, byte[] mac) {
    IpPrefix subnet = KubeSpanAddressing.clusterSubnet(clusterId);
    IpPrefix address = KubeSpanAddressing.nodeAddress(clusterId, mac);
    Path file = stateFolder.resolve(IDENTITY_FILE);
    WireGuardSecret key = readKey(file);
    KubeSpanIdentity identity =
        new KubeSpanIdentity(address, subnet, key != null ? key : WireGuardSecret.generatePrivateKey(random));
    if (key == null || !identity.equals(readIdentityOrNull(file, key))) {
      write(file, render(identity));
    }
    return identity;
  }

  public String loadOrCreateNodeId() {
    Path file = stateFolder.resolve(NODE_ID_FILE);
    try {
      String id = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (!NodeIds.isValid(id)) {
        throw new IdentityException(file + ": the node id is not a base62 string of 1 to 256 characters");
      }
      return id;
    } catch (NoSuchFileException e) {
      String id = NodeIds.generate(random);
      write(file, id + "\n");
      return id;
    } catch (IOException e) {
      throw new IdentityException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private WireGuardSecret readKey(Path file) {
    Map<String, Object> fields = readYaml(file);
    if (fields == null) {
      return null;
    }
    String privateKey = field(file, fields, "privateKey");
    String publicKey = field(file, fields, "publicKey");
    WireGuardSecret key;
    try {
      key = WireGuardSecret.fromBase64(privateKey);
    } catch (IllegalArgumentException e) {
      throw new IdentityException(file + ": field privateKey: " + e.getMessage()); // never quotes the key
    }
    String derived = key.publicKey().base64();
    if (!derived.equals(publicKey)) {
      throw new IdentityException(
          file + ": field publicKey does not belong to the stored privateKey (expected " + derived + ")");
    }
    return key;
  }

  private KubeSpanIdentity readIdentityOrNull(Path file, WireGuardSecret key) {
    Map<String, Object> fields = readYaml(file);
    try {
      return new KubeSpanIdentity(
          IpPrefix.parse(field(file, fields, "address")), IpPrefix.parse(field(file, fields, "subnet")), key);
    } catch (IllegalArgumentException e) {
      return null; // an unreadable address is simply derived and written again
    }
  }

  private static Map<String, Object> readYaml(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new IdentityException("cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
      if (!(loaded instanceof Map<?, ?> map)) {
        throw new IdentityException(file + ": expected a YAML mapping with address, subnet, privateKey, publicKey");
      }
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), v));
      return out;
    } catch (YAMLException e) {
      // the parser's message may quote the file, and the file holds the private key
      throw new IdentityException(file + ": not valid YAML");
    }
  }

  private static String field(Path file, Map<String, Object> fields, String name) {
    Object value = fields.get(name);
    if (!(value instanceof String s) || s.isBlank()) {
      throw new IdentityException(file + ": field " + name + " is missing or not a string");
    }
    return s;
  }

  static String render(KubeSpanIdentity identity) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("address", identity.address().toString());
    fields.put("subnet", identity.subnet().toString());
    fields.put("privateKey", identity.privateKey().revealBase64());
    fields.put("publicKey", identity.publicKey());
    var options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    return new Yaml(options).dump(fields);
  }

  private static void write(Path file, String content) {
    try {
      SecretFiles.write(file, content);
    } catch (IOException e) {
      throw new IdentityException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
