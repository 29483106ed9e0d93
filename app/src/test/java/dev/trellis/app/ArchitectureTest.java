package dev.trellis.app;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.trellis.otp.ExitException;
import dev.trellis.otp.ExitReason;
import dev.trellis.otp.Kernel;
import dev.trellis.otp.Pid;
import dev.trellis.otp.Sys;
import org.junit.jupiter.api.Test;

/// The layering of DESIGN §8: dependencies point downward only, internals stay internal, tools
/// read the runtime through `otp.observe`.
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.trellis");

    @Test
    void theRuntimeDependsOnNoOtherTrellisModule() {
        noClasses()
                .that()
                .resideInAPackage("dev.trellis.otp..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.trellis.app..",
                        "dev.trellis.bench..",
                        "dev.trellis.kv..",
                        "dev.trellis.observer..",
                        "dev.trellis.reliability..")
                .check(CLASSES);
    }

    @Test
    void theKvStoreDependsOnlyOnTheRuntime() {
        noClasses()
                .that()
                .resideInAPackage("dev.trellis.kv..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.trellis.app..",
                        "dev.trellis.bench..",
                        "dev.trellis.observer..",
                        "dev.trellis.reliability..")
                .check(CLASSES);
    }

    @Test
    void onlyTheRuntimeUsesItsInternalPackage() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.trellis.otp..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.trellis.otp.internal..")
                .check(CLASSES);
    }

    @Test
    void theRuntimeUsesNoLibraryButSlf4jAndJSpecify() {
        noClasses()
                .that()
                .resideInAPackage("dev.trellis.otp..")
                .and()
                .resideOutsideOfPackage("dev.trellis.otp.testkit..")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages(
                        "java..",
                        "javax..",
                        "jdk..",
                        "sun.misc..",
                        "dev.trellis.otp..",
                        "org.slf4j..",
                        "org.jspecify..")
                .check(CLASSES);
    }

    @Test
    void theObserverReadsTheRuntimeOnlyThroughObserve() {
        classes()
                .that()
                .resideInAPackage("dev.trellis.observer..")
                .should()
                .onlyDependOnClassesThat(resideOutsideOfPackage("dev.trellis..")
                        .or(resideInAnyPackage("dev.trellis.observer..", "dev.trellis.otp.observe.."))
                        .or(belongToAnyOf(Pid.class, ExitReason.class, ExitException.class, Kernel.class, Sys.class)))
                .because("DESIGN §8: the Observer reads otp.observe only; it acts through Kernel.exit and Sys")
                .check(CLASSES);
    }

    @Test
    void theObserverUsesKernelOnlyToSendExitSignals() {
        noClasses()
                .that()
                .resideInAPackage("dev.trellis.observer..")
                .should()
                .callMethodWhere(DescribedPredicate.describe(
                        "a Kernel method other than exit",
                        call -> call.getTargetOwner().isEquivalentTo(Kernel.class)
                                && !call.getName().equals("exit")))
                .check(CLASSES);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.trellis.(*)..").should().beFreeOfCycles().check(CLASSES);
    }
}
