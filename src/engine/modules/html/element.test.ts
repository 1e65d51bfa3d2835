import { describe, expect, it } from 'vitest';
import type { Attribute, Element } from './element.ts';
import { HtmlDocument, parseHTML } from './html-module.ts';

// Typed members are installed per tag at runtime, so tests reach them by name, as a script does.
type Typed = Element & { [member: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any -- members differ per tag

const PAGE = `<html><head><title>T</title></head>
<body>
<div id="div_elem" class="class1 class2" lang="en">text before<h2>Nested</h2><span>a <b>bold</b> span</span><!-- note -->text after</div>
<p class="class2">p1</p><p>p2</p><empty></empty>
</body></html>`;

const el = (selector: string, src = PAGE): Typed => parseHTML(src).find(selector).get(0) as Typed;

describe('k6/html Element', () => {
  it('names and types nodes like k6 (lower-case tags, #text, #comment, #document)', () => {
    const div = el('div');
    expect(div.nodeName()).toBe('div');
    expect(div.nodeType()).toBe(1);
    expect(div.firstChild()?.nodeName()).toBe('#text');
    expect(div.firstChild()?.nodeType()).toBe(3);
    expect(div.firstChild()?.nodeValue()).toBe('text before');
    expect(div.nodeValue()).toBeUndefined();
    expect(div.lastChild()?.nodeValue()).toBe('text after');
    expect(div.childNodes().map((n) => n.nodeName())).toEqual(['#text', 'h2', 'span', '#comment', '#text']);
    expect(div.childNodes()[3]?.nodeType()).toBe(8);
    expect(el('body').ownerDocument()?.nodeName()).toBe('#document');
    expect(el('body').ownerDocument()?.nodeType()).toBe(9);
  });

  it('reads text, inner HTML, id, classes and lang', () => {
    const div = el('div');
    expect(el('span').textContent()).toBe('a bold span');
    expect(el('span').innerHTML()).toBe('a <b>bold</b> span');
    expect(div.id()).toBe('div_elem');
    expect(div.classList()).toEqual(['class1', 'class2']);
    expect(div.className()).toBe('class1 class2');
    expect(el('h2').className()).toBeUndefined();
    expect(el('h2').classList()).toEqual([]);
    expect(div.lang()).toBe('en');
    expect(el('h2').lang()).toBeUndefined();
  });

  it('navigates children, siblings and parents', () => {
    const div = el('div');
    expect(el('body').childElementCount()).toBe(4);
    expect(div.children().map((c) => c.nodeName())).toEqual(['h2', 'span']);
    expect(div.firstElementChild()?.textContent()).toBe('Nested');
    expect(div.lastElementChild()?.textContent()).toBe('a bold span');
    expect(el('span').previousSibling()?.textContent()).toBe('Nested');
    expect(el('h2').previousSibling()?.textContent()).toBe('text before');
    expect(el('h2').previousElementSibling()).toBeUndefined();
    expect(el('h2').nextElementSibling()?.nodeName()).toBe('span');
    expect(el('h2').parentElement()?.nodeName()).toBe('div');
    expect(el('html').parentNode()?.nodeName()).toBe('#document');
    expect(el('html').parentElement()).toBeUndefined();
    expect(div.selection().find('h2').text()).toBe('Nested');
  });

  it('reads attributes as k6 does', () => {
    const div = el('div');
    expect(div.hasAttribute('id')).toBe(true);
    expect(div.hasAttribute('noattr')).toBe(false);
    expect(div.getAttribute('id')).toBe('div_elem');
    expect(div.getAttribute('noattr')).toBeUndefined();
    const node = div.getAttributeNode('id') as Attribute;
    expect([node.name, node.value, node.owner_element.id(), node.namespaceURI()]).toEqual(['id', 'div_elem', 'div_elem', 'http://www.w3.org/1999/xhtml']);
    expect(Object.keys(div.attributes())).toEqual(['id', 'class', 'lang']);
    expect(div.attributes().class?.value).toBe('class1 class2');
    expect(el('div').hasAttributes()).toBe(true);
    expect(el('h2').hasAttributes()).toBe(false);
    expect(el('p').hasChildNodes()).toBe(true);
    expect(el('empty').hasChildNodes()).toBe(false);
  });

  it('compares, queries and matches', () => {
    const doc = parseHTML(PAGE);
    const [p1, p2] = doc.find('p').get() as Element[];
    expect(p1?.isSameNode(doc.find('p').get(0))).toBe(true);
    expect(p1?.isSameNode(p2)).toBe(false);
    expect(p1?.isEqualNode(parseHTML(PAGE).find('p').get(0))).toBe(true);
    expect(p1?.isEqualNode(p2)).toBe(false);
    const body = doc.find('body').get(0) as Element;
    expect(body.getElementsByClassName('class2').map((e) => e.nodeName())).toEqual(['div', 'p']);
    expect(body.getElementsByTagName('span')).toHaveLength(1);
    expect(body.querySelector('#div_elem')?.id()).toBe('div_elem');
    expect(body.querySelector('nothing')).toBeUndefined();
    expect(body.querySelectorAll('p')).toHaveLength(2);
    expect(body.contains(p1)).toBe(true);
    expect(body.contains(body)).toBe(false);
    expect(p1?.matches('.class2')).toBe(true);
    expect(p2?.matches('.class2')).toBe(false);
  });

  it('prints like k6 and keeps its internals out of JSON', () => {
    expect(String(el('div'))).toBe('[object html.Node]');
    expect(String(el('h2').previousSibling())).toBe('[object #text]');
    expect(JSON.stringify(el('div'))).toBe('{}');
  });
});

describe('k6/html typed elements', () => {
  const FORM_PAGE = `<html><body>
<form id="f" action="/submit?x=1" method="POST" enctype="text/plain">
  <label for="name">Name</label><input id="name" name="name" type="email" value="a@b.c" maxlength="20" required>
  <label><input id="agree" type="checkbox" name="agree" checked> agree</label>
  <input id="odd" type="nonsense">
  <select id="sel" name="sel"><option value="1">one</option><option selected label="Two!">two</option></select>
  <button id="go" type="submit" name="go">Send</button>
  <textarea id="ta" rows="3">hi</textarea>
</form>
<input id="outside" form="f" name="outside">
<a id="link" href="../docs/page.html?q=1#frag" rel="next nofollow">Docs</a>
<a id="abs" href="https://user:pw@example.com:443/p">Abs</a>
<img id="img" src="/i.png" width="40" height="x">
<table id="t"><caption>C</caption><thead><tr><th>h</th></tr></thead><tbody><tr><td>a</td><td id="cell">b</td></tr></tbody></table>
</body></html>`;
  const doc = HtmlDocument.parse(FORM_PAGE, 'http://example.com/app/current/index.html');
  const get = (id: string): Typed => doc.find(`#${id}`).get(0) as Typed;

  it('anchors resolve href against the response URL and split it', () => {
    const a = get('link');
    expect(a.href()).toBe('http://example.com/app/docs/page.html?q=1#frag');
    expect(String(a)).toBe('http://example.com/app/docs/page.html?q=1#frag');
    expect([a.protocol(), a.host(), a.hostname(), a.port(), a.pathname(), a.search(), a.hash()])
      .toEqual(['http', 'example.com', 'example.com', '', '/app/docs/page.html', '?q=1', '#frag']);
    expect(a.origin()).toBe('http://example.com');
    expect(a.relList()).toEqual(['next', 'nofollow']);
    expect(a.text()).toBe('Docs');
    const abs = get('abs');
    expect([abs.username(), abs.password(), abs.host()]).toEqual(['user', 'pw', 'example.com']);
    // parseHTML has no URL: href is the attribute as written
    expect((parseHTML(FORM_PAGE).find('#link').get(0) as Typed).href()).toBe('../docs/page.html?q=1#frag');
  });

  it("URLs keep what Go's net/url keeps: a written default port, an empty path (k6 elements_test.go)", () => {
    const page = `<a id="p80" href="http://username:password@example.com:80">5</a><a id="bare" href="http://example.com:80">1</a>
<a id="v6" href="http://[::1]:8080/x">v6</a><img id="empty" src=""><base id="nohref"><base id="base" href="">
<link id="q" href="?a=1"><quote id="cite" cite="http://cite.com/url"></quote>`;
    const at = (base: string, id: string): Typed => HtmlDocument.parse(page, base).find(`#${id}`).get(0) as Typed;
    const a = at('', 'p80');
    expect([a.port(), a.origin(), a.host(), a.hostname(), a.username()]).toEqual(['80', 'http://example.com:80', 'example.com', 'example.com', 'username']);
    expect([at('', 'bare').pathname(), at('http://x.test/', 'bare').href()]).toEqual(['', 'http://example.com:80']);
    expect([at('', 'v6').hostname(), at('', 'v6').port()]).toEqual(['::1', '8080']);
    // An empty or query-only value against a base without a path keeps that base as written.
    expect(at('http://example.com', 'empty').src()).toBe('http://example.com');
    expect(at('http://example.com', 'base').href()).toBe('http://example.com');
    expect(at('http://example.com', 'q').href()).toBe('http://example.com?a=1');
    expect(at('http://example.com/dir/', 'empty').src()).toBe('http://example.com/dir/');
    // <base> without href is the document's URL; the other URL attributes are "" when missing.
    expect(at('http://example.com/page', 'nohref').href()).toBe('http://example.com/page');
    expect(at('', 'cite').cite()).toBe('http://cite.com/url');
  });

  it('inputs, buttons and selects expose their form attributes', () => {
    const input = get('name');
    expect([input.value(), input.type(), input.name(), input.required(), input.maxLength(), input.size()])
      .toEqual(['a@b.c', 'email', 'name', true, 20, 0]);
    expect(get('odd').type()).toBe('text');
    expect(get('agree').checked()).toBe(true);
    expect(get('name').checked()).toBe(false);
    expect((input.form() as Typed).id()).toBe('f');
    expect((get('outside').form() as Typed | undefined)?.id()).toBe('f');
    expect(input.formAction()).toBe('http://example.com/submit?x=1');
    expect([input.formMethod(), input.formEnctype()]).toEqual(['post', 'text/plain']);
    expect(input.labels().map((l: Element) => l.textContent())).toEqual(['Name']);
    expect(get('agree').labels().map((l: Element) => l.textContent())).toEqual([' agree']);
    expect([get('go').value(), get('go').type()]).toEqual(['Send', 'submit']);
    const sel = get('sel');
    expect([sel.selectedIndex(), sel.value(), sel.length(), sel.type()]).toEqual([1, 'two', 2, 'select']);
    const opt = (sel.options() as Typed[])[1] as Typed;
    expect([opt.index(), opt.label(), opt.text(), opt.value(), opt.selected(), opt.disabled()]).toEqual([1, 'Two!', 'two', 'two', true, false]);
    expect(((doc.find('label').get(0) as Typed).control() as Typed).id()).toBe('name');
    expect([get('ta').rows(), get('ta').type(), get('ta').cols()]).toEqual([3, 'textarea', 0]);
  });

  it('forms, images and tables', () => {
    const form = get('f');
    expect([form.action(), form.method(), form.enctype(), form.length()])
      .toEqual(['http://example.com/submit?x=1', 'get', 'text/plain', 6]); // method is "post" only when written so, as in k6
    expect((form.elements() as Element[]).map((e) => e.id())).toEqual(['name', 'agree', 'odd', 'sel', 'go', 'ta']);
    const img = get('img');
    expect([img.src(), img.width(), img.height()]).toEqual(['http://example.com/i.png', 40, 0]);
    const table = get('t');
    expect((table.caption() as Typed).textContent()).toBe('C');
    expect((table.rows() as Element[]).length).toBe(2);
    expect((table.tBodies() as Element[]).length).toBe(1);
    expect(get('cell').cellIndex()).toBe(1);
    expect(((doc.find('tbody tr').get(0) as Typed).rowIndex())).toBe(1);
    expect(((doc.find('tbody tr').get(0) as Typed).sectionRowIndex())).toBe(0);
  });
});
