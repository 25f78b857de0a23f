package io.github.aiosqlite4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The BOM ({@code bom/pom.xml}, which has no parent so that it manages nothing else) lists every
 * published module of the build, a module whose pom does not set {@code maven.deploy.skip}, at the
 * build's version.
 */
class BomTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void listsEveryPublishedModuleAtTheBuildsVersion() throws Exception {
        Document parent = parse(ROOT.resolve("pom.xml"));
        Document bom = parse(ROOT.resolve("bom/pom.xml"));
        String version = child(parent.getDocumentElement(), "version");
        assertThat(child(bom.getDocumentElement(), "version")).isEqualTo(version);

        List<String> published = new ArrayList<>();
        for (String module : texts(parent.getElementsByTagName("module"))) {
            Element pom = parse(ROOT.resolve(module).resolve("pom.xml")).getDocumentElement();
            NodeList skip = pom.getElementsByTagName("maven.deploy.skip");
            boolean jar = pom.getElementsByTagName("packaging").getLength() == 0;
            if (jar && (skip.getLength() == 0 || !skip.item(0).getTextContent().equals("true"))) {
                published.add(child(pom, "artifactId"));
            }
        }
        assertThat(published).contains("aiosqlite4j", "aiosqlite4j-r2dbc");

        List<String> managed = new ArrayList<>();
        NodeList dependencies = bom.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            assertThat(child(dependency, "groupId")).isEqualTo("io.github.aiosqlite4j");
            assertThat(child(dependency, "version")).isEqualTo("${project.version}");
            managed.add(child(dependency, "artifactId"));
        }
        assertThat(managed).containsExactlyInAnyOrderElementsOf(published);
    }

    private static Document parse(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    /** The text of {@code element}'s direct child named {@code name}. */
    private static String child(Element element, String name) {
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeName().equals(name)) {
                return n.getTextContent().trim();
            }
        }
        throw new AssertionError(element.getNodeName() + " has no " + name);
    }

    private static List<String> texts(NodeList nodes) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent().trim());
        }
        return texts;
    }
}
