import { describe, expect, it } from 'vitest';
import { isBlocking, markBlocking } from '../../vu/blocking.ts';
import type { Element } from './element.ts';
import { parseHTML } from './html-module.ts';
import type { Selection } from './selection.ts';

const PAGE = `<html>
<head>
  <title>This is the title</title>
</head>
<body>
  <h1 id="top" data-test="dataval" data-num-a="123" data-num-b="1.5" data-not-num-a="1.50" data-not-num-b="1.1e02">Lorem ipsum</h1>
  <p data-test-b="true" data-opts='{"id":101}' data-test-empty="" data-user-id="u1">First paragraph</p>
  <p>Second paragraph</p>
  <form id="form1">
    <input id="text_input" name="text_input" type="text" value="input-text-value"/>
    <select id="select_one" name="select_one">
      <option value="not this option">no</option>
      <option value="yes this option" selected>yes</option>
    </select>
    <select id="select_text" name="select_text"><option>no text</option><option selected>yes text</option></select>
    <select id="select_multi" name="select_multi" multiple>
      <option>option 1</option><option selected>option 2</option><option selected>option 3</option>
    </select>
    <textarea id="textarea" name="textarea">Lorem ipsum dolor sit amet</textarea>
  </form>
  <footer>This is the footer.</footer>
</body>
</html>`;

const doc = (): Selection => parseHTML(PAGE);

describe('k6/html Selection: traversal', () => {
  it('finds by selector and concatenates the text of every match', () => {
    expect(doc().find('h1').text()).toBe('Lorem ipsum');
    expect(doc().find('p').text()).toBe('First paragraphSecond paragraph');
    expect(doc().find('p').size()).toBe(2);
    expect(doc().find('title').text()).toBe('This is the title');
  });

  it('matches nothing for an invalid selector instead of throwing (as k6)', () => {
    expect(doc().find('[[[').size()).toBe(0);
    expect(doc().find('h1').is(':::')).toBe(false);
  });

  it('walks children, parents, siblings and the Until variants like k6', () => {
    const d = doc();
    expect(d.find('head').children().size()).toBe(1);
    expect(d.find('body').children('p').size()).toBe(2);
    expect(d.find('textarea').closest('form').attr('id')).toBe('form1');
    expect(d.find('textarea').parent().attr('id')).toBe('form1');
    expect(d.find('textarea').parents().size()).toBe(3); // form, body, html: not the document
    expect(d.find('textarea').parents('body').size()).toBe(1);
    expect(d.find('textarea').parentsUntil('html').size()).toBe(2);
    expect(d.find('textarea').parentsUntil(d.find('html'), 'body').size()).toBe(1);
    expect(d.find('textarea').parentsUntil().size()).toBe(3);
    expect(d.find('h1').next().is('p')).toBe(true);
    expect(d.find('h1').nextAll().size()).toBe(4);
    expect(d.find('h1').nextAll('p').size()).toBe(2);
    expect(d.find('h1').nextUntil('footer').size()).toBe(3);
    expect(d.find('h1').nextUntil(null, 'p').size()).toBe(2);
    expect(d.find('footer').prev().is('form')).toBe(true);
    expect(d.find('form').prevAll().size()).toBe(3);
    expect(d.find('footer').prevUntil(d.find('h1')).size()).toBe(3);
    expect(d.find('form').prevUntil('h1', 'p').size()).toBe(2);
    expect(d.find('form').siblings().size()).toBe(4);
    expect(d.find('h1').add('footer').text()).toBe('Lorem ipsumThis is the footer.');
    expect((d.find('body').children().filter('p') as Selection).end().size()).toBe(5);
    expect(d.find('head').contents().size()).toBe(3);
    expect(d.find('head').contents().first().text()).toBe('\n  ');
  });

  it('filters with a selector, a selection or a function of (index, selection)', () => {
    const kids = doc().find('body').children();
    expect(kids.eq(3).attr('id')).toBe('form1');
    expect(kids.eq(-1).is('footer')).toBe(true);
    expect(kids.first().attr('id')).toBe('top');
    expect(kids.last().text()).toBe('This is the footer.');
    expect(kids.slice(1, 2).is('p')).toBe(true);
    expect(kids.slice(3).size()).toBe(2);
    expect(kids.slice(1, 99).size()).toBe(4);
    expect((kids.filter('p') as Selection).size()).toBe(2);
    expect((kids.filter(doc().find('p')) as Selection).size()).toBe(0); // another document's nodes
    expect((kids.filter(kids.find('input').closest('form')) as Selection).size()).toBe(1);
    expect((kids.filter((_i: number, s: Selection) => s.is('p')) as Selection).size()).toBe(2);
    expect((kids.not('p') as Selection).size()).toBe(3);
    expect((kids.not((_i: number, s: Selection) => s.is('p')) as Selection).size()).toBe(3);
    expect(kids.has('input').size()).toBe(1);
    expect(kids.has(kids.find('input')).size()).toBe(1);
    expect(kids.is((_i: number, s: Selection) => s.text() === 'Lorem ipsum')).toBe(true);
    expect(kids.first().is(kids.find('h1').add(kids.first()))).toBe(true);
    expect(() => kids.filter(42)).toThrow(/must be a function, a selector or a selection/);
    expect(() => kids.find({})).toThrow(/cannot use a 'Object' as a selector/);
  });

  it('gives Elements from get() (negative indices count from the end) and Selections from toArray()', () => {
    const kids = doc().find('body').children();
    const all = kids.get() as Element[];
    expect(all.map((e) => e.nodeName())).toEqual(['h1', 'p', 'p', 'form', 'footer']);
    expect((kids.get(-1) as Element).innerHTML()).toBe('This is the footer.');
    expect(kids.get(5)).toBeUndefined();
    expect(kids.get(-5)).toBeUndefined();
    const arr = doc().find('p').toArray();
    expect(arr).toHaveLength(2);
    expect(arr[1]?.size()).toBe(1);
    expect(arr[1]?.text()).toBe('Second paragraph');
  });

  it('index(): among siblings, among a selector\'s matches, or of a selection in this one', () => {
    const d = doc();
    expect(d.find('p').index()).toBe(1);
    expect(d.find('form').index('body > *')).toBe(3);
    expect(d.find('body').children().index(d.find('footer'))).toBe(4);
    expect(d.find('body').children().index(d.find('footer').get(0))).toBe(4);
    expect(d.find('nothing').index()).toBe(-1);
  });
});

describe('k6/html Selection: content', () => {
  it('attr() returns the raw value, undefined or the default when missing', () => {
    expect(doc().find('h1').attr('id')).toBe('top');
    expect(doc().find('h1').attr('class')).toBeUndefined();
    expect(doc().find('h1').attr('class', 'default')).toBe('default');
    expect(doc().find('nothing').attr('id')).toBeUndefined();
  });

  it('html() is the first node\'s inner HTML, "" for an empty selection', () => {
    expect(doc().find('h1').html()).toBe('Lorem ipsum');
    expect(doc().find('select').html()).toContain('<option value="not this option">no</option>');
    expect(doc().find('nothing').html()).toBe('');
  });

  it('data() converts numbers that print back the same, JSON, booleans, and maps names like k6', () => {
    const h1 = doc().find('h1');
    expect(h1.data('test')).toBe('dataval');
    expect(h1.data('num-a')).toBe(123);
    expect(h1.data('numA')).toBe(123);
    expect(h1.data('num-b')).toBe(1.5);
    expect(h1.data('not-num-a')).toBe('1.50');
    expect(h1.data('not-num-b')).toBe('1.1e02');
    expect(h1.data()).toEqual({ test: 'dataval', numA: 123, numB: 1.5, notNumA: '1.50', notNumB: '1.1e02' });
    const p = doc().find('p');
    expect(p.data('test-b')).toBe(true);
    expect(p.data('testB')).toBe(true);
    expect(p.data('test-empty')).toBeUndefined();
    expect((p.data('opts') as { id: number }).id).toBe(101);
    expect((p.data() as Record<string, unknown>).userID).toBe('u1'); // Go's initialisms, not jQuery's userId
    expect(p.data('userID')).toBe('u1');
    expect(doc().find('footer').data()).toBeUndefined();
  });

  it('val() of inputs, selects (single and multiple), options and textareas', () => {
    const d = doc();
    expect(d.find('#text_input').val()).toBe('input-text-value');
    expect(d.find('#select_one option[selected]').val()).toBe('yes this option');
    expect(d.find('#select_one').val()).toBe('yes this option');
    expect(d.find('#select_text').val()).toBe('yes text');
    expect(d.find('#select_multi').val()).toEqual(['option 2', 'option 3']);
    expect(d.find('#textarea').val()).toBe('Lorem ipsum dolor sit amet');
    expect(d.find('h1').val()).toBeUndefined();
    const boxes = parseHTML('<input type="checkbox" id="c"><input type="text" id="t"><button id="b">x</button>');
    expect(boxes.find('#c').val()).toBe('on');
    expect(boxes.find('#t').val()).toBe('');
    expect(boxes.find('#b').val()).toBe('');
  });
});

describe('k6/html Selection: callbacks', () => {
  it('each() passes (index, element) and returns the selection; map() returns what fn returned', () => {
    const seen: string[] = [];
    const opts = doc().find('#select_multi option');
    const r = opts.each((i: number, el: Element) => void seen.push(`${i}:${el.innerHTML()}`));
    expect(r).toBe(opts);
    expect(seen).toEqual(['0:option 1', '1:option 2', '2:option 3']);
    expect(opts.map((_i: number, s: Selection) => s.text())).toEqual(['option 1', 'option 2', 'option 3']);
    expect(doc().find('#select_multi').map((_i: number, s: Selection) => s.attr('name'))).toEqual(['select_multi']);
    expect(() => opts.each('')).toThrow(/the argument to each\(\) must be a function/);
    expect(() => opts.map('')).toThrow(/the argument to map\(\) must be a function/);
  });

  it('an exception thrown by a callback propagates unchanged', () => {
    const boom = new Error('boom');
    expect(() => doc().find('p').each(() => { throw boom; })).toThrow(boom);
  });

  it('a callback that blocks turns each/map/filter/is into a blocking promise that keeps the order', async () => {
    const order: string[] = [];
    const later = <T>(v: T): Promise<T> => markBlocking(new Promise<T>((resolve) => setTimeout(() => resolve(v), 5)));
    const opts = doc().find('#select_multi option');

    const each = opts.each((i: number) => {
      order.push(`call ${i}`);
      return i === 1 ? markBlocking(later(undefined).then(() => void order.push('blocked 1 done'))) : undefined;
    });
    expect(isBlocking(each)).toBe(true);
    expect(order).toEqual(['call 0', 'call 1']); // the rest waits for the blocked call
    expect(await each).toBe(opts);
    expect(order).toEqual(['call 0', 'call 1', 'blocked 1 done', 'call 2']);

    const mapped = opts.map((i: number, s: Selection) => (i === 0 ? later(s.text().toUpperCase()) : s.text()));
    expect(isBlocking(mapped)).toBe(true);
    expect(await mapped).toEqual(['OPTION 1', 'option 2', 'option 3']);

    const filtered = opts.filter((i: number) => later(i !== 1));
    expect(isBlocking(filtered)).toBe(true);
    expect(((await filtered) as Selection).map((_i: number, s: Selection) => s.text())).toEqual(['option 1', 'option 3']);

    const is = opts.is((i: number) => later(i === 2));
    expect(isBlocking(is)).toBe(true);
    expect(await is).toBe(true);
  });

  it('a genuine promise returned by a callback is a value, not waited for', () => {
    const p = Promise.resolve(1);
    const mapped = doc().find('p').map(() => p);
    expect(isBlocking(mapped)).toBe(false);
    expect(mapped).toEqual([p, p]);
  });
});
