package io.growthos.testsupport;

import io.growthos.testsupport.HostileRequests.Answer;
import io.growthos.testsupport.HostileRequests.Kind;
import io.growthos.testsupport.HostileRequests.Operation;
import io.growthos.testsupport.HostileRequests.Request;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.junit.jupiter.api.Assertions;

/**
 * The two properties both services' {@code AuthenticatedHostileInputPropertyTests} run over the
 * operations of their live OpenAPI document: every operation meets every kind of damage once
 * (exhaustive), then a fixed-seed sample draws more. Each service says what its operations are and
 * how a damaged request is sent and judged ({@link #attack}).
 */
public abstract class HostileInputProperties {

  /** One operation damaged one way. */
  public record Case(Operation operation, Kind kind) {
    @Override
    public String toString() {
      return kind + " " + operation;
    }
  }

  /** The operations under attack, read from the live document before the properties run. */
  protected abstract List<Operation> operations();

  /** Sends {@code c}, damaged with {@code random}, and asserts what the service answered. */
  protected abstract void attack(Case c, Random random);

  @Property(
      tries = 100_000,
      generation = GenerationMode.EXHAUSTIVE,
      shrinking = ShrinkingMode.OFF,
      edgeCases = EdgeCasesMode.NONE)
  public void everyOperationMeetsEveryKindOfDamageWithoutA5xxOrAMalformedAnswer(
      @ForAll("cases") Case c) {
    attack(c, new Random(c.toString().hashCode()));
  }

  @Property(
      tries = 250,
      seed = "20261205",
      shrinking = ShrinkingMode.OFF,
      edgeCases = EdgeCasesMode.NONE)
  public void moreDamageDrawnAtRandomIsRefusedCleanlyToo(
      @ForAll("cases") Case c, @ForAll("seeds") long seed) {
    attack(c, new Random(seed));
  }

  @Provide
  public Arbitrary<Case> cases() {
    List<Case> out = new ArrayList<>();
    for (Operation op : operations()) {
      for (Kind kind : HostileRequests.kindsFor(op)) {
        out.add(new Case(op, kind));
      }
    }
    return Arbitraries.of(out);
  }

  @Provide
  public Arbitrary<Long> seeds() {
    return Arbitraries.longs();
  }

  /**
   * Fails on {@code problems} of the answer {@code a} to {@code r}; with {@code -Dfuzz.log=FILE},
   * appends them to that file instead, so one run lists every problem.
   */
  protected static void report(Request r, Answer a, List<String> problems) {
    if (problems.isEmpty()) {
      return;
    }
    String log = System.getProperty("fuzz.log");
    if (log != null) {
      try {
        Files.writeString(
            Path.of(log),
            r + "\n  -> " + String.join("\n  -> ", problems).replace("\n", " ") + "\n",
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return;
    }
    Assertions.assertEquals(List.of(), problems, r + " answered " + a.status());
  }
}
