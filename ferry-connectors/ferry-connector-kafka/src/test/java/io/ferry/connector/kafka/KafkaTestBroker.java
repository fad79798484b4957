package io.ferry.connector.kafka;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Kafka 4 broker (combined broker and KRaft controller) in the test JVM, bound to 127.0.0.1,
 * started once for every test class of the JVM and stopped at its exit (shared/PEERS.md: Formatter,
 * then KafkaRaftServer; never KafkaClusterTestKit, which binds every interface).
 *
 * <p>Besides its plaintext listener it has a SASL listener (PLAIN user {@link #SASL_USER}, and
 * SCRAM-SHA-256 user {@link #SCRAM_USER}, both with {@link #SASL_PASSWORD}) and a TLS listener
 * whose self-signed certificate (made by the JDK's keytool, for IP 127.0.0.1) is {@link
 * #certificatePem()}.
 */
final class KafkaTestBroker {
  private static KafkaTestBroker instance;
  private static final AtomicInteger TOPICS = new AtomicInteger();

  static final String SASL_USER = "ferry";
  static final String SCRAM_USER = "ferry-scram";
  static final String SASL_PASSWORD = "s3cr3t-\"quoted\"-pw";

  private final KafkaRaftServer server;
  private final String bootstrap;
  private final String saslBootstrap;
  private final String sslBootstrap;
  private final Path certificate;

  private KafkaTestBroker() throws Exception {
    Path dir =
        Files.createTempDirectory(Files.createDirectories(Path.of("target", "kafka")), "broker-")
            .toAbsolutePath();
    int port = freePort();
    int saslPort = freePort();
    int sslPort = freePort();
    int controllerPort = freePort();
    Path keystore = dir.resolve("broker.p12");
    certificate = dir.resolve("broker.pem");
    keytool(
        "-genkeypair",
        "-alias",
        "broker",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "SAN=ip:127.0.0.1",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "broker-store");
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "broker",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "broker-store",
        "-file",
        certificate.toString());
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    String listeners =
        "PLAINTEXT://127.0.0.1:"
            + port
            + ",SASL_PLAINTEXT://127.0.0.1:"
            + saslPort
            + ",SSL://127.0.0.1:"
            + sslPort;
    p.put("listeners", listeners + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", listeners);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put(
        "listener.security.protocol.map",
        "PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL,CONTROLLER:PLAINTEXT");
    p.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256");
    String password = SASL_PASSWORD.replace("\"", "\\\"");
    p.put(
        "listener.name.sasl_plaintext.plain.sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required user_"
            + SASL_USER
            + "=\""
            + password
            + "\";");
    p.put(
        "listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    p.put("ssl.keystore.type", "PKCS12");
    p.put("ssl.keystore.location", keystore.toString());
    p.put("ssl.keystore.password", "broker-store");
    p.put("ssl.key.password", "broker-store");
    p.put("log.dirs", dir.toString());
    p.put("num.partitions", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    p.put("log.flush.interval.messages", "1000000");
    KafkaConfig config = KafkaConfig.fromProps(p, false);
    new Formatter()
        .setPrintStream(new PrintStream(java.io.OutputStream.nullOutputStream()))
        .setClusterId(Uuid.randomUuid().toString())
        .setNodeId(1)
        .setDirectories(List.of(dir.toString()))
        .setMetadataLogDirectory(dir.toString())
        .setControllerListenerName("CONTROLLER")
        .setReleaseVersion(MetadataVersion.latestProduction())
        .run();
    server = new KafkaRaftServer(config, Time.SYSTEM);
    server.startup();
    bootstrap = "127.0.0.1:" + port;
    saslBootstrap = "127.0.0.1:" + saslPort;
    sslBootstrap = "127.0.0.1:" + sslPort;
    try (Admin admin = admin()) {
      admin.describeCluster().nodes().get();
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      SCRAM_USER,
                      new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096),
                      SASL_PASSWORD)))
          .all()
          .get();
    }
  }

  static synchronized KafkaTestBroker get() {
    if (instance == null) {
      try {
        instance = new KafkaTestBroker();
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the test broker", e);
      }
      KafkaTestBroker started = instance;
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
    }
    return instance;
  }

  private void stop() {
    server.shutdown();
    server.awaitShutdown();
  }

  String bootstrap() {
    return bootstrap;
  }

  /** The SASL_PLAINTEXT listener (PLAIN and SCRAM-SHA-256). */
  String saslBootstrap() {
    return saslBootstrap;
  }

  /** The SSL listener. */
  String sslBootstrap() {
    return sslBootstrap;
  }

  /** The TLS listener's certificate, PEM, for a client's truststore. */
  Path certificatePem() {
    return certificate;
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IOException("keytool " + args[0] + " failed: " + output);
    }
  }

  /** A topic name no other test uses. */
  static String uniqueTopic(String name) {
    return "t-"
        + name
        + "-"
        + TOPICS.incrementAndGet()
        + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  Admin admin() {
    Map<String, Object> c = new HashMap<>();
    c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return Admin.create(c);
  }

  void createTopic(String topic, int partitions) {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
      KafkaSink.awaitLeaders(admin, topic, Duration.ofSeconds(30));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    return new KafkaProducer<>(c);
  }

  /** Sends the values (UTF-8 text, null for a tombstone) to one partition, in order. */
  void send(String topic, int partition, List<String> values) {
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (String v : values) {
        producer.send(
            new ProducerRecord<>(
                topic,
                partition,
                null,
                v == null ? null : v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
  }

  /**
   * Every committed record of the topic, partition by partition, from the first offset to the end.
   */
  List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("reading " + topic + " back took longer than 60 s");
        }
        consumer.poll(Duration.ofMillis(200)).forEach(all::add);
      }
    }
    return all;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
