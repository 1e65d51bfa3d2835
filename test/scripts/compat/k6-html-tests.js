// The behaviours k6's own k6/html tests assert (js/modules/k6/html/html_test.go, element_test.go,
// elements_test.go, serialize_test.go), one check per assertion, on the tests' documents
// (fixtures/k6-html/). Run by test/engine-compat-examples.test.ts: every check passes in k6.
import html from 'k6/html';
import { check } from 'k6';

const page = (name) => open(`../fixtures/k6-html/${name}.html`);
const SRC = { html: page('html_test'), element: page('element_test'), elements: page('elements_test'), serialize: page('serialize_test') };

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b) && (a === undefined) === (b === undefined);
}
/** A check named `name` that `fn()` gives `expected`; a mismatch is logged with both values. */
function t(name, fn, expected) {
  let got;
  try {
    got = fn();
  } catch (e) {
    got = { threw: String(e) };
  }
  const ok = same(got, expected);
  if (!ok) console.error(`${name}: got ${JSON.stringify(got)}, want ${JSON.stringify(expected)}`);
  check(null, { [name]: () => ok });
}
function throws(name, fn, sub) {
  let msg = null;
  try {
    fn();
  } catch (e) {
    msg = String(e);
  }
  const ok = msg !== null && msg.includes(sub);
  if (!ok) console.error(`${name}: threw ${JSON.stringify(msg)}, want ${JSON.stringify(sub)}`);
  check(null, { [name]: () => ok });
}

export function htmlTest() {
  const doc = html.parseHTML(SRC.html);
  const xml = `<ListAllMyBucketsResult><Buckets><Bucket><CreationDate>1654852823</CreationDate><Name>firstBucket</Name></Bucket>
<Bucket><CreationDate>1654852825</CreationDate><Name>secondBucket</Name></Bucket></Buckets>
<Owner><DisplayName>string</DisplayName><ID>string</ID></Owner></ListAllMyBucketsResult>`;

  
  t('Find', () => [doc.find('h1').size(), doc.find('h1').text()], [1, 'Lorem ipsum']);
  t('Single first', () => [doc.single('p').size(), doc.single('p').text().slice(0, 17)], [1, 'Lorem ipsum dolor']);
  t('Single chain', () => doc.find('body').single('option').text(), 'no');
  t('Single multi receivers', () => [doc.find('select').single('option').size(), doc.find('select').single('option').text()], [1, 'no']);
  t('Single end', () => doc.find('select').single('option').end().first().attr('id'), 'select_one');
  t('Single empty', () => doc.single('.missing').size(), 0);
  t('Add selector', () => [doc.find('h1').add('footer').size(), doc.find('h1').add('footer').text()], [2, 'Lorem ipsumThis is the footer.']);
  t('Add selection', () => doc.find('h1').add(doc.find('footer')).text(), 'Lorem ipsumThis is the footer.');
  t('Text', () => doc.find('h1').text(), 'Lorem ipsum');
  t('Attr', () => doc.find('h1').attr('id'), 'top');
  t('Attr default', () => doc.find('h1').attr('id', 'default'), 'top');
  t('Attr unset', () => doc.find('h1').attr('class') === undefined, true);
  t('Attr unset default', () => doc.find('h1').attr('class', 'default'), 'default');
  t('Html', () => doc.find('h1').html(), 'Lorem ipsum');
  t('Val input', () => doc.find('#text_input').val(), 'input-text-value');
  t('Val option[selected]', () => doc.find('#select_one option[selected]').val(), 'yes this option');
  t('Val select attr', () => doc.find('#select_one').val(), 'yes this option');
  t('Val select text', () => doc.find('#select_text').val(), 'yes text');
  t('Val select multi', () => doc.find('#select_multi').val(), ['option 2', 'option 3']);
  t('Val textarea', () => doc.find('#textarea').val(), 'Lorem ipsum dolor sit amet');
  t('Children all', () => [doc.find('head').children().size(), doc.find('head').children().is('title')], [1, true]);
  t('Children p', () => [doc.find('body').children('p').size(), doc.find('body').children('p').last().text().slice(0, 14)], [2, 'Nullam id nisi']);
  t('Closest', () => doc.find('textarea').closest('form').attr('id'), 'form1');
  t('Contents', () => [doc.find('head').contents().size(), doc.find('head').contents().first().text()], [3, '\n\t']);
  t('Each', () => { const e = []; doc.find('#select_multi option').each(function (idx, elem) { e[idx] = elem.innerHTML(); }); return e; }, ['option 1', 'option 2', 'option 3']);
  throws('Each invalid', () => doc.find('#select_multi option').each(''), 'must be a function');
  t('Is string', () => doc.find('h1').is('h1'), true);
  t('Is function', () => doc.find('h1').is(function (idx, val) { return val.text() == 'Lorem ipsum'; }), true);
  t('Is selection', () => doc.find('body').children().first().is(doc.find('h1')), true);
  t('Filter string', () => doc.find('body').children().filter('p').size(), 2);
  t('Filter function', () => doc.find('body').children().filter(function (idx, val) { return val.is('p'); }).size(), 2);
  t('Filter selection', () => doc.find('body').children().filter(doc.find('p')).size(), 2);
  t('End', () => doc.find('body').children().filter('p').end().size(), 5);
  t('Eq', () => doc.find('body').children().eq(3).attr('id'), 'form1');
  t('First', () => doc.find('body').children().first().attr('id'), 'top');
  t('Last', () => doc.find('body').children().last().text(), 'This is the footer.');
  t('Has string', () => doc.find('body').children().has('input').size(), 1);
  t('Has selection', () => doc.find('body').children().has(doc.find('input')).size(), 1);
  t('Map valid', () => doc.find('#select_multi option').map(function (idx, val) { return val.text(); }), ['option 1', 'option 2', 'option 3']);
  t('Map strings typeof', () => doc.find('#select_multi option').map(function (idx, val) { return val.text(); }).map((v) => typeof v), ['string', 'string', 'string']);
  throws('Map invalid', () => doc.find('#select_multi option').map(''), 'must be a function');
  t('Map attr', () => doc.find('#select_multi').map(function (idx, val) { return val.attr('name'); }), ['select_multi']);
  t('Map XML', () => {
    const xdoc = html.parseHTML(xml);
    return xdoc.find('Buckets').children().map(function (idx, bucket) {
      const o = {};
      bucket.children().each(function (idx, elem) {
        switch (elem.nodeName()) {
          case 'name': Object.assign(o, { name: elem.textContent() }); break;
          case 'creationdate': Object.assign(o, { creationDate: parseInt(elem.textContent(), 10) }); break;
        }
      });
      return o;
    });
  }, [{ creationDate: 1654852823, name: 'firstBucket' }, { creationDate: 1654852825, name: 'secondBucket' }]);
  t('Next', () => [doc.find('h1').next().size(), doc.find('h1').next().is('p')], [1, true]);
  t('Next filter', () => doc.find('p').next('form').size(), 1);
  t('NextAll', () => doc.find('h1').nextAll().size(), 4);
  t('NextAll filter', () => doc.find('h1').nextAll('p').size(), 2);
  t('Prev', () => doc.find('footer').prev().is('form'), true);
  t('Prev filter', () => doc.find('footer').prev('form').size(), 1);
  t('PrevAll', () => doc.find('form').prevAll().size(), 3);
  t('PrevAll filter', () => doc.find('form').prevAll('p').size(), 2);
  t('PrevUntil string', () => doc.find('footer').prevUntil('h1').size(), 3);
  t('PrevUntil query', () => doc.find('footer').prevUntil(doc.find('h1')).size(), 3);
  t('PrevUntil string filtered', () => doc.find('form').prevUntil('h1', 'p').size(), 2);
  t('PrevUntil query filtered', () => doc.find('form').prevUntil(doc.find('h1'), 'p').size(), 2);
  t('PrevUntil all', () => doc.find('footer').prevUntil().size(), 4);
  t('PrevUntil all filtered', () => doc.find('footer').prevUntil(null, 'p').size(), 2);
  t('NextUntil string', () => doc.find('h1').nextUntil('footer').size(), 3);
  t('NextUntil query', () => doc.find('h1').nextUntil(doc.find('footer')).size(), 3);
  t('NextUntil string filtered', () => doc.find('h1').nextUntil('footer', 'p').size(), 2);
  t('NextUntil query filtered', () => doc.find('h1').nextUntil(doc.find('footer'), 'p').size(), 2);
  t('NextUntil all', () => doc.find('h1').nextUntil().size(), 4);
  t('NextUntil all filtered', () => doc.find('h1').nextUntil(null, 'p').size(), 2);
  t('Parent', () => doc.find('textarea').parent().attr('id'), 'form1');
  t('Parent filtered', () => doc.find('textarea').parent('form').attr('id'), 'form1');
  t('Parents', () => doc.find('textarea').parents().size(), 3);
  t('Parents filtered', () => doc.find('textarea').parents('body').size(), 1);
  t('ParentsUntil string', () => doc.find('textarea').parentsUntil('html').size(), 2);
  t('ParentsUntil query', () => doc.find('textarea').parentsUntil(doc.find('html')).size(), 2);
  t('ParentsUntil string filtered', () => doc.find('textarea').parentsUntil('html', 'body').size(), 1);
  t('ParentsUntil query filtered', () => doc.find('textarea').parentsUntil(doc.find('html'), 'body').size(), 1);
  t('ParentsUntil all', () => doc.find('textarea').parentsUntil().size(), 3);
  t('ParentsUntil all filtered', () => doc.find('textarea').parentsUntil(null, 'body').size(), 1);
  t('Not string', () => doc.find('body').children().not('p').size(), 3);
  t('Not selection', () => doc.find('body').children().not(doc.find('p')).size(), 3);
  t('Not function', () => doc.find('body').children().not(function (idx, val) { return val.is('p'); }).size(), 3);
  t('Siblings', () => doc.find('form').siblings().size(), 4);
  t('Siblings filtered', () => doc.find('form').siblings('p').size(), 2);
  t('Slice', () => [doc.find('body').children().slice(1, 2).size(), doc.find('body').children().slice(1, 2).is('p'), doc.find('body').children().slice(1, 2).text().includes('Lorem ipsum dolor')], [1, true, true]);
  t('Slice from', () => [doc.find('body').children().slice(3).size(), doc.find('body').children().slice(3).eq(0).is('form')], [2, true]);
  t('Get', () => { const e = doc.find('body').children().get(); return [e[0].nodeName(), e[1].nodeName(), e[4].nodeName(), e.length]; }, ['h1', 'p', 'footer', 5]);
  t('Get +ve', () => doc.find('body').children().get(1).innerHTML().includes('Lorem ipsum dolor sit amet'), true);
  t('Get -ve', () => doc.find('body').children().get(-1).innerHTML(), 'This is the footer.');
  t('ToArray', () => { const a = doc.find('p').toArray(); return [a.length, a[0].size(), a[1].size(), a[0].text().includes('Lorem ipsum dolor sit amet'), a[1].text().includes('Nullam id nisi eget')]; }, [2, 1, 1, true, true]);
  t('Index', () => doc.find('p').index(), 1);
  t('Index string', () => doc.find('form').index('body > *'), 3);
  t('Index selection', () => doc.find('body').children().index(doc.find('footer')), 4);
  t('Data string', () => doc.find('h1').data('test'), 'dataval');
  t('Data num a', () => doc.find('h1').data('num-a'), 123);
  t('Data num b', () => doc.find('h1').data('num-b'), 1.5);
  t('Data not num a', () => doc.find('h1').data('not-num-a'), '1.50');
  t('Data not num b', () => doc.find('h1').data('not-num-b'), '1.1e02');
  t('Data dataset', () => { const d = doc.find('h1').data(); return [d.test, d.numA]; }, ['dataval', 123]);
  t('Data bool', () => doc.find('p').data('test-b'), true);
  t('Data camel', () => doc.find('p').data('testB'), true);
  t('Data empty', () => doc.find('p').data('test-empty') == null, true);
  t('Data json', () => doc.find('p').data('opts').id, 101);
  t('Data dataset prop', () => doc.find('p').data().testB, true);
  t('Data dataset obj', () => doc.find('p').data().opts.id, 101);
}

export function elementTest() {
  const doc = html.parseHTML(SRC.element);

  
  t('NodeName', () => doc.find('#top').get(0).nodeName(), 'h1');
  t('NodeType', () => String(doc.find('#top').get(0).nodeType()), '1');
  t('NodeValue', () => String(doc.find('#top').get(0).firstChild().nodeValue()), 'Lorem ipsum');
  t('InnerHtml', () => doc.find('span').get(0).innerHTML(), '<b>test content</b>');
  t('TextContent', () => doc.find('b').get(0).textContent(), 'test content');
  t('OwnerDocument', () => doc.find('body').get(0).ownerDocument().nodeName(), '#document');
  t('Attributes', () => doc.find('div').get(0).attributes().id.value, 'div_elem');
  t('FirstChild', () => doc.find('div').get(0).firstChild().nodeValue().includes('innerfirst'), true);
  t('LastChild', () => doc.find('div').get(0).lastChild().nodeValue().includes('innerlast'), true);
  t('ChildElementCount', () => doc.find('body').get(0).childElementCount(), 6);
  t('FirstElementChild', () => doc.find('div').get(0).firstElementChild().textContent().includes('Nullam id nisi '), true);
  t('LastElementChild', () => doc.find('div').get(0).lastElementChild().textContent().includes('Maecenas augue ligula'), true);
  t('PreviousSibling', () => doc.find('div').get(0).previousSibling().textContent().includes('pretext'), true);
  t('NextSibling', () => doc.find('div').get(0).nextSibling().textContent().includes('aftertext'), true);
  t('PreviousElementSibling', () => doc.find('div').get(0).previousElementSibling().textContent().includes('consectetur adipiscing elit'), true);
  t('NextElementSibling', () => doc.find('div').get(0).nextElementSibling().textContent().includes('This is the footer.'), true);
  t('ParentElement', () => doc.find('div').get(0).parentElement().nodeName(), 'body');
  t('ParentNode', () => doc.find('html').get(0).parentNode().nodeName(), '#document');
  t('ParentNode element null', () => doc.find('html').get(0).parentElement() == null, true);
  t('ChildNodes', () => { const n = doc.find('div').get(0).childNodes(); return [n.length, n[0].textContent().includes('innerfirst'), n[8].textContent().includes('innerlast')]; }, [9, true, true]);
  t('Children', () => { const n = doc.find('div').get(0).children(); return [n.length, n[0].textContent().includes('Nullam id nisi eget ex'), n[3].textContent().includes('Maecenas augue ligula')]; }, [4, true, true]);
  t('Selection', () => doc.find('div').get(0).selection().find('h2').text(), 'Nullam id nisi eget ex pharetra imperdiet.');
  t('ClassList', () => doc.find('div').get(0).classList(), ['class1', 'class2']);
  t('ClassName', () => doc.find('div').get(0).className(), 'class1 class2');
  t('Lang', () => doc.find('div').get(0).lang(), 'en');
  t('ToString', () => [doc.find('div').get(0).toString(), doc.find('div').get(0).previousSibling().toString()], ['[object html.Node]', '[object #text]']);
  t('HasAttribute', () => [doc.find('div').get(0).hasAttribute('id'), doc.find('div').get(0).hasAttribute('noattr')], [true, false]);
  t('GetAttribute', () => doc.find('div').get(0).getAttribute('id'), 'div_elem');
  t('GetAttributeNode', () => doc.find('div').get(0).getAttributeNode('id').value, 'div_elem');
  t('HasAttributes', () => [doc.find('h1').get(0).hasAttributes(), doc.find('footer').get(0).hasAttributes()], [true, false]);
  t('HasChildNodes', () => [doc.find('p').get(0).hasChildNodes(), doc.find('empty').get(0).hasChildNodes()], [true, false]);
  t('IsSameNode', () => [doc.find('p').get(0).isSameNode(doc.find('p').get(1)), doc.find('p').get(0).isSameNode(doc.find('p').get(0))], [false, true]);
  t('IsEqualNode', () => [doc.find('p').get(0).isEqualNode(doc.find('p').get(1)), doc.find('p').get(0).isEqualNode(doc.find('p').get(0))], [true, true]);
  t('GetElementsByClassName', () => doc.find('body').get(0).getElementsByClassName('class2').map((e) => e.id()), ['div_elem', 'h2_elem']);
  t('GetElementsByTagName', () => doc.find('body').get(0).getElementsByTagName('span').length, 2);
  t('QuerySelector', () => doc.find('body').get(0).querySelector('#div_elem').id(), 'div_elem');
  t('QuerySelectorAll', () => doc.find('body').get(0).querySelectorAll('span').map((e) => e.id()), ['span1', 'span2']);
  t('Contains', () => [doc.find('html').get(0).contains(doc.find('body').get(0)), doc.find('body').get(0).contains(doc.find('body').get(0))], [true, false]);
  t('Matches', () => doc.find('div').get(0).matches('#div_elem'), true);
  t('NamespaceURI', () => doc.find('#svg_elem').get(0).namespaceURI(), 'http://www.w3.org/2000/svg');
  t('IsDefaultNamespace', () => [!!doc.find('#svg_elem').get(0).isDefaultNamespace(), !!doc.find('#div_elem').get(0).isDefaultNamespace()], [false, true]);
}

export function elementsTest() {
  const doc = html.parseHTML(SRC.elements);

  
  t("AnchorElement/Hash doc.find(\"a\").get(0).hash()", () => (doc.find("a").get(0).hash()), "#hashtext");
  t("AnchorElement/Hash doc.find(\"#blank_anchor\").get(0).hash()", () => (doc.find("#blank_anchor").get(0).hash()), "");
  t("Hash/Host doc.find(\"a\").get(1).host()", () => (doc.find("a").get(1).host()), "example.com");
  t("Hash/Host doc.find(\"a\").get(2).host()", () => (doc.find("a").get(2).host()), "example.com:81");
  t("Hash/Host doc.find(\"a\").get(3).host()", () => (doc.find("a").get(3).host()), "ssl.example.com");
  t("Hash/Host doc.find(\"a\").get(4).host()", () => (doc.find("a").get(4).host()), "ssl.example.com:444");
  t("Hash/Host doc.find(\"#blank_anchor\").get(0).host()", () => (doc.find("#blank_anchor").get(0).host()), "");
  t("Host/Hostname doc.find(\"a\").get(1).hostname()", () => (doc.find("a").get(1).hostname()), "example.com");
  t("Host/Hostname doc.find(\"#blank_anchor\").get(0).hostname()", () => (doc.find("#blank_anchor").get(0).hostname()), "");
  t("Hostname/Port doc.find(\"a\").get(5).port()", () => (doc.find("a").get(5).port()), "80");
  t("Hostname/Port doc.find(\"#blank_anchor\").get(0).port()", () => (doc.find("#blank_anchor").get(0).port()), "");
  t("Port/Username doc.find(\"a\").get(5).username()", () => (doc.find("a").get(5).username()), "username");
  t("Port/Username doc.find(\"#blank_anchor\").get(0).username()", () => (doc.find("#blank_anchor").get(0).username()), "");
  t("Username/Password doc.find(\"a\").get(5).password()", () => (doc.find("a").get(5).password()), "password");
  t("Username/Password doc.find(\"#blank_anchor\").get(0).password()", () => (doc.find("#blank_anchor").get(0).password()), "");
  t("Password/Origin doc.find(\"a\").get(5).origin()", () => (doc.find("a").get(5).origin()), "http://example.com:80");
  t("Password/Origin doc.find(\"#blank_anchor\").get(0).origin()", () => (doc.find("#blank_anchor").get(0).origin()), "");
  t("Origin/Pathname doc.find(\"a\").get(1).pathname()", () => (doc.find("a").get(1).pathname()), "");
  t("Origin/Pathname doc.find(\"a\").get(2).pathname()", () => (doc.find("a").get(2).pathname()), "/path/file");
  t("Origin/Pathname doc.find(\"#blank_anchor\").get(0).pathname()", () => (doc.find("#blank_anchor").get(0).pathname()), "");
  t("Pathname/Protocol doc.find(\"a\").get(4).protocol()", () => (doc.find("a").get(4).protocol()), "https");
  t("Pathname/Protocol doc.find(\"#blank_anchor\").get(0).protocol()", () => (doc.find("#blank_anchor").get(0).protocol()), ":");
  t("Protocol/RelList doc.find(\"a\").get(6).relList()", () => (doc.find("a").get(6).relList()), ["prev", "next"]);
  t("Protocol/RelList doc.find(\"a\").get(5).relList()", () => (doc.find("a").get(5).relList()), []);
  t("RelList/Search doc.find(\"a\").get(0).search()", () => (doc.find("a").get(0).search()), "?querytxt");
  t("Search/Text doc.find(\"a\").get(6).text()", () => (doc.find("a").get(6).text()), "6");
  t("Text/AreaElement doc.find(\"area\").get(0).toString()", () => (doc.find("area").get(0).toString()), "web.address.com");
  t("ButtonElement/form doc.find(\"#form_btn\").get(0).form().id()", () => (doc.find("#form_btn").get(0).form().id()), "form1");
  t("ButtonElement/form doc.find(\"#named_form_btn\").get(0).form().id()", () => (doc.find("#named_form_btn").get(0).form().id()), "form2");
  t("ButtonElement/form doc.find(\"#no_form_btn\").get(0).form()", () => doc.find("#no_form_btn").get(0).form() === undefined, true); // sobek.Undefined()
  t("form/formaction doc.find(\"#form_btn\").get(0).formAction()", () => (doc.find("#form_btn").get(0).formAction()), "action_url");
  t("form/formaction doc.find(\"#form_btn_2\").get(0).formAction()", () => (doc.find("#form_btn_2").get(0).formAction()), "override_action_url");
  t("formaction/formenctype doc.find(\"#form_btn\").get(0).formEnctype()", () => (doc.find("#form_btn").get(0).formEnctype()), "text/plain");
  t("formaction/formenctype doc.find(\"#form_btn_2\").get(0).formEnctype()", () => (doc.find("#form_btn_2").get(0).formEnctype()), "multipart/form-data");
  t("formenctype/formmethod doc.find(\"#form_btn\").get(0).formMethod()", () => (doc.find("#form_btn").get(0).formMethod()), "get");
  t("formenctype/formmethod doc.find(\"#form_btn_2\").get(0).formMethod()", () => (doc.find("#form_btn_2").get(0).formMethod()), "post");
  t("formmethod/formnovalidate doc.find(\"#form_btn\").get(0).formNoValidate()", () => (doc.find("#form_btn").get(0).formNoValidate()), false);
  t("formmethod/formnovalidate doc.find(\"#form_btn_2\").get(0).formNoValidate()", () => (doc.find("#form_btn_2").get(0).formNoValidate()), true);
  t("formnovalidate/formtarget doc.find(\"#form_btn\").get(0).formTarget()", () => (doc.find("#form_btn").get(0).formTarget()), "_self");
  t("formnovalidate/formtarget doc.find(\"#form_btn_2\").get(0).formTarget()", () => (doc.find("#form_btn_2").get(0).formTarget()), "_top");
  t("formtarget/labels doc.find(\"#form_btn\").get(0).labels()", () => (doc.find("#form_btn").get(0).labels()).length, 1);
  t("formtarget/labels doc.find(\"#form_btn_2\").get(0).labels()", () => (doc.find("#form_btn_2").get(0).labels()).length, 2);
  t("labels/name doc.find(\"#form_btn\").get(0).name()", () => (doc.find("#form_btn").get(0).name()), "form_btn");
  t("name/value doc.find(\"#form_btn_2\").get(0).value()", () => (doc.find("#form_btn_2").get(0).value()), "form_btn_2_initval");
  t("CanvasElement/width doc.find(\"canvas\").get(0).width()", () => (doc.find("canvas").get(0).width()), 200);
  t("width/height doc.find(\"canvas\").get(0).height()", () => (doc.find("canvas").get(0).height()), 150);
  t("height/DataListElement options doc.find(\"datalist\").get(0).options()", () => (doc.find("datalist").get(0).options()).length, 2);
  t("FieldSetElement/elements doc.find(\"fieldset\").get(0).elements()", () => (doc.find("fieldset").get(0).elements()).length, 5);
  t("elements/type doc.find(\"fieldset\").get(0).type()", () => (doc.find("fieldset").get(0).type()), "fieldset");
  t("type/form doc.find(\"fieldset\").get(0).form().id()", () => (doc.find("fieldset").get(0).form().id()), "fieldset_form");
  t("FormElement/elements doc.find(\"#fieldset_form\").get(0).elements()", () => (doc.find("#fieldset_form").get(0).elements()).length, 6);
  t("elements/length doc.find(\"#fieldset_form\").get(0).length()", () => (doc.find("#fieldset_form").get(0).length()), 6);
  t("length/method doc.find(\"#form1\").get(0).method()", () => (doc.find("#form1").get(0).method()), "get");
  t("length/method doc.find(\"#fieldset_form\").get(0).method()", () => (doc.find("#fieldset_form").get(0).method()), "post");
  t("InputElement/form doc.find(\"#test_dl_input\").get(0).list().options()", () => (doc.find("#test_dl_input").get(0).list().options()).length, 2);
  t("LabelElement/control doc.find(\"#form_btn_2_label\").get(0).control().value()", () => (doc.find("#form_btn_2_label").get(0).control().value()), "form_btn_2_initval");
  t("control/form doc.find(\"#form_btn_2_label\").get(0).form().id()", () => (doc.find("#form_btn_2_label").get(0).form().id()), "form1");
  t("LegendElement/form doc.find(\"#legend_1\").get(0).form().id()", () => (doc.find("#legend_1").get(0).form().id()), "fieldset_form");
  t("LinkElement/rel list doc.find(\"link\").get(0).relList()", () => (doc.find("link").get(0).relList()), ["alternate", "next"]);
  t("MapElement/areas doc.find(\"#find_this_map\").get(0).areas()", () => (doc.find("#find_this_map").get(0).areas()).length, 3);
  t("areas/images doc.find(\"#find_this_map\").get(0).images()", () => (doc.find("#find_this_map").get(0).images()).length, 2);
  t("ObjectElement/form doc.find(\"#obj_1\").get(0).form().id()", () => (doc.find("#obj_1").get(0).form().id()), "form1");
  t("OptionElement/disabled doc.find(\"#opt_1\").get(0).disabled()", () => (doc.find("#opt_1").get(0).disabled()), false);
  t("OptionElement/disabled doc.find(\"#opt_2\").get(0).disabled()", () => (doc.find("#opt_2").get(0).disabled()), true);
  t("OptionElement/disabled doc.find(\"#opt_3\").get(0).disabled()", () => (doc.find("#opt_3").get(0).disabled()), true);
  t("disabled/form doc.find(\"#opt_4\").get(0).form().id()", () => (doc.find("#opt_4").get(0).form().id()), "form3");
  t("form/index doc.find(\"#dl_opt_2\").get(0).index()", () => (doc.find("#dl_opt_2").get(0).index()), 1);
  t("form/index doc.find(\"#opt_3\").get(0).index()", () => (doc.find("#opt_3").get(0).index()), 2);
  t("index/label doc.find(\"#opt_1\").get(0).label()", () => (doc.find("#opt_1").get(0).label()), "txt_label");
  t("index/label doc.find(\"#opt_2\").get(0).label()", () => (doc.find("#opt_2").get(0).label()), "attr_label");
  t("label/text doc.find(\"#opt_1\").get(0).text()", () => (doc.find("#opt_1").get(0).text()), "txt_label");
  t("text/value doc.find(\"#opt_1\").get(0).value()", () => (doc.find("#opt_1").get(0).value()), "txt_label");
  t("text/value doc.find(\"#opt_2\").get(0).value()", () => (doc.find("#opt_2").get(0).value()), "selected_attr_val");
  t("OutputElement/value doc.find(\"#output1\").get(0).value()", () => (doc.find("#output1").get(0).value()), "defaultVal");
  t("OutputElement/value doc.find(\"#output1\").get(0).defaultValue()", () => (doc.find("#output1").get(0).defaultValue()), "defaultVal");
  t("value/labels doc.find(\"#output1\").get(0).labels()", () => (doc.find("#output1").get(0).labels()).length, 2);
  t("ProgressElement/max doc.find(\"#progress1\").get(0).max()", () => (doc.find("#progress1").get(0).max()), 100);
  t("ProgressElement/max doc.find(\"#progress2\").get(0).max()", () => (doc.find("#progress2").get(0).max()), 1);
  t("max/value doc.find(\"#progress1\").get(0).value()", () => (doc.find("#progress1").get(0).value()), 0.7);
  t("max/value doc.find(\"#progress2\").get(0).value()", () => (doc.find("#progress2").get(0).value()), 0);
  t("value/position doc.find(\"#progress1\").get(0).position()", () => (doc.find("#progress1").get(0).position()), 0.7);
  t("value/position doc.find(\"#progress2\").get(0).position()", () => (doc.find("#progress2").get(0).position()), -1);
  t("ScriptElement/text doc.find(\"#script1\").get(0).text()", () => (doc.find("#script1").get(0).text()), "script text");
  t("SelectElement/form doc.find(\"#sel2\").get(0).form().id()", () => (doc.find("#sel2").get(0).form().id()), "form3");
  t("form/length doc.find(\"#sel1\").get(0).length()", () => (doc.find("#sel1").get(0).length()), 3);
  t("length/options doc.find(\"#sel1\").get(0).options()", () => (doc.find("#sel1").get(0).options()).length, 3);
  t("options/selectedOptions doc.find(\"#sel1\").get(0).selectedOptions()", () => (doc.find("#sel1").get(0).selectedOptions()).length, 2);
  t("selectedOptions/selectedIndex doc.find(\"#sel1\").get(0).selectedIndex()", () => (doc.find("#sel1").get(0).selectedIndex()), 1);
  t("selectedOptions/selectedIndex doc.find(\"#sel2\").get(0).selectedIndex()", () => (doc.find("#sel2").get(0).selectedIndex()), -1);
  t("selectedIndex/value doc.find(\"#sel1\").get(0).value()", () => (doc.find("#sel1").get(0).value()), "selected_attr_val");
  t("StyleElement/text doc.find(\"#style1\").get(0).type()", () => (doc.find("#style1").get(0).type()), "text/css");
  t("TableElement/caption doc.find(\"table\").get(0).caption().textContent()", () => (doc.find("table").get(0).caption().textContent()), "caption text");
  t("caption/thead doc.find(\"table\").get(0).tHead().rows()", () => (doc.find("table").get(0).tHead().rows()).length, 1);
  t("thead/tbody doc.find(\"table\").get(0).tBodies()[0].rows()", () => (doc.find("table").get(0).tBodies()[0].rows()).length, 2);
  t("tbody/tfoot doc.find(\"table\").get(0).tFoot().rows()", () => (doc.find("table").get(0).tFoot().rows()).length, 3);
  t("tfoot/rows doc.find(\"table\").get(0).rows()", () => (doc.find("table").get(0).rows()).length, 7);
  t("TableCellElement/cellIndex doc.find(\"#td_cell\").get(0).cellIndex()", () => (doc.find("#td_cell").get(0).cellIndex()), 2);
  t("cellIndex/colSpan doc.find(\"#td_cell\").get(0).colSpan()", () => (doc.find("#td_cell").get(0).colSpan()), 1);
  t("cellIndex/colSpan doc.find(\"#th_cell\").get(0).colSpan()", () => (doc.find("#th_cell").get(0).colSpan()), 2);
  t("colSpan/rowSpan doc.find(\"#td_cell\").get(0).rowSpan()", () => (doc.find("#td_cell").get(0).rowSpan()), 2);
  t("colSpan/rowSpan doc.find(\"#th_cell\").get(0).rowSpan()", () => (doc.find("#th_cell").get(0).rowSpan()), 1);
  t("rowSpan/headers doc.find(\"#td_cell\").get(0).headers()", () => (doc.find("#td_cell").get(0).headers()), "th_cell");
  t("TableRowElement/cells doc.find(\"#thead_row\").get(0).cells()", () => (doc.find("#thead_row").get(0).cells()).length, 3);
  t("cells/colSpan doc.find(\"#td_cell\").get(0).colSpan()", () => (doc.find("#td_cell").get(0).colSpan()), 1);
  t("cells/colSpan doc.find(\"#th_cell\").get(0).colSpan()", () => (doc.find("#th_cell").get(0).colSpan()), 2);
  t("colSpan/sectionRowIndex doc.find(\"#tfoot_row\").get(0).sectionRowIndex()", () => (doc.find("#tfoot_row").get(0).sectionRowIndex()), 2);
  t("colSpan/sectionRowIndex doc.find(\"#last_row\").get(0).sectionRowIndex()", () => (doc.find("#last_row").get(0).sectionRowIndex()), 0);
  t("sectionRowIndex/rowIndex doc.find(\"#tfoot_row\").get(0).rowIndex()", () => (doc.find("#tfoot_row").get(0).rowIndex()), 3);
  t("sectionRowIndex/rowIndex doc.find(\"#last_row\").get(0).rowIndex()", () => (doc.find("#last_row").get(0).rowIndex()), 6);
  t("VideoElement/text tracks doc.find(\"#video1\").get(0).textTracks()", () => (doc.find("#video1").get(0).textTracks()).length, 2);
  t("TitleElement/text tracks doc.find(\"title\").get(0).text()", () => (doc.find("title").get(0).text()), "titletest");

}

export function serializeTest() {
  const doc = html.parseHTML(SRC.serialize);

  
  t('serializeArray form', () => doc.find('form').serializeArray(), [
    { name: 'text_input', value: 'input-text-value' }, { name: 'empty_text_input1', value: '' }, { name: 'empty_text_input2', value: '' },
    { name: 'select_one', value: 'yes this option' }, { name: 'select_text', value: 'yes text' }, { name: 'select_multi', value: ['option 2', 'option 3'] },
    { name: 'textarea', value: 'Lorem ipsum dolor sit amet' }, { name: 'checkbox1', value: 'some checkbox' }, { name: 'checkbox2', value: 'on' },
    { name: 'radio1', value: 'some radio' }, { name: 'radio2', value: 'on' }]);
  t('serializeArray controls', () => doc.find('input').serializeArray().map((v) => v.name + '=' + v.value), [
    'text_input=input-text-value', 'empty_text_input1=', 'empty_text_input2=', 'checkbox1=some checkbox', 'checkbox2=on', 'radio1=some radio', 'radio2=on']);
  t('serializeObject', () => { const o = doc.find('form').serializeObject(); return [Object.keys(o).length, o.text_input, o.empty_text_input1, o.empty_text_input2, o.select_one, o.select_text, o.textarea, o.checkbox1, o.checkbox2, o.radio1, o.radio2, o.select_multi]; },
    [11, 'input-text-value', '', '', 'yes this option', 'yes text', 'Lorem ipsum dolor sit amet', 'some checkbox', 'on', 'some radio', 'on', ['option 2', 'option 3']]);
  t('serialize', () => doc.find('form').serialize(), 'checkbox1=some+checkbox&checkbox2=on&empty_text_input1=&empty_text_input2=&radio1=some+radio&radio2=on&select_multi=option+2&select_multi=option+3&select_one=yes+this+option&select_text=yes+text&text_input=input-text-value&textarea=Lorem+ipsum+dolor+sit+amet');
}

export default function () {
  htmlTest();
  elementTest();
  elementsTest();
  serializeTest();
}
