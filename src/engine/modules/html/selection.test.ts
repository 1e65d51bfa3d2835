import { describe, expect, it } from 'vitest';
import { framePart } from '../../compile/stack-mapper.ts';
import { isBlocking, markBlocking } from '../../vu/blocking.ts';
import { VuInterrupt } from '../../vu/interrupt.ts';
import type { Element } from './element.ts';
import { parseHTML } from './html-module.ts';
import type { Selection } from './selection.ts';

const PAGE = `<html>
<head>
  <title>Harbour timetable</title>
</head>
<body>
  <h1 id="masthead" data-route="north" data-berth-no="42" data-top-knots="12.5" data-code-a="7.10" data-code-b="3e04">Ferries today</h1>
  <p data-on-time="true" data-cfg='{"pier":9}' data-delay="" data-ship-url="/m/4">Departs 08:15</p>
  <p>Arrives 09:40</p>
  <form id="booking">
    <input id="passenger" name="passenger" type="text" value="M. Okafor"/>
    <select id="deck" name="deck">
      <option value="lower deck">lower</option>
      <option value="upper deck" selected>upper</option>
    </select>
    <select id="cabin" name="cabin"><option>no cabin</option><option selected>window cabin</option></select>
    <select id="meals" name="meals" multiple>
      <option>breakfast</option><option selected>lunch</option><option selected>supper</option>
    </select>
    <textarea id="notes" name="notes">Travelling with a bicycle</textarea>
  </form>
  <footer>Tickets are non-refundable.</footer>
</body>
</html>`;

const doc = (): Selection => parseHTML(PAGE);

describe('k6/html parseHTML', () => {
  it.each([[null], [undefined]])('parseHTML(%s) is an empty document, as k6 (Go zero value ""): finds nothing, text ""', (src) => {
    const doc = parseHTML(src as unknown as string);
    expect(doc.find('head title').text()).toBe('');
    expect(doc.find('html').attr('lang')).toBeUndefined();
    expect(doc.find('p').size()).toBe(0);
  });
});

describe('k6/html Selection: traversal', () => {
  it('finds by selector and concatenates the text of every match', () => {
    expect(doc().find('h1').text()).toBe('Ferries today');
    expect(doc().find('p').text()).toBe('Departs 08:15Arrives 09:40');
    expect(doc().find('p').size()).toBe(2);
    expect(doc().find('title').text()).toBe('Harbour timetable');
  });

  it('matches nothing for an invalid selector instead of throwing (as k6)', () => {
    expect(doc().find('[[[').size()).toBe(0);
    expect(doc().find('h1').is(':::')).toBe(false);
  });

  it('walks children, parents, siblings and the Until variants like k6', () => {
    const d = doc();
    expect(d.find('head').children().size()).toBe(1);
    expect(d.find('body').children('p').size()).toBe(2);
    expect(d.find('textarea').closest('form').attr('id')).toBe('booking');
    expect(d.find('textarea').parent().attr('id')).toBe('booking');
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
    expect(d.find('h1').add('footer').text()).toBe('Ferries todayTickets are non-refundable.');
    expect((d.find('body').children().filter('p') as Selection).end().size()).toBe(5);
    expect(d.find('head').contents().size()).toBe(3);
    expect(d.find('head').contents().first().text()).toBe('\n  ');
  });

  it('filters with a selector, a selection or a function of (index, selection)', () => {
    const kids = doc().find('body').children();
    expect(kids.eq(3).attr('id')).toBe('booking');
    expect(kids.eq(-1).is('footer')).toBe(true);
    expect(kids.first().attr('id')).toBe('masthead');
    expect(kids.last().text()).toBe('Tickets are non-refundable.');
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
    expect(kids.is((_i: number, s: Selection) => s.text() === 'Ferries today')).toBe(true);
    expect(kids.first().is(kids.find('h1').add(kids.first()))).toBe(true);
    expect(() => kids.filter(42)).toThrow(/must be a function, a selector or a selection/);
    expect(() => kids.find({})).toThrow(/cannot use a 'Object' as a selector/);
  });

  it('gives Elements from get() (negative indices count from the end) and Selections from toArray()', () => {
    const kids = doc().find('body').children();
    const all = kids.get() as Element[];
    expect(all.map((e) => e.nodeName())).toEqual(['h1', 'p', 'p', 'form', 'footer']);
    expect((kids.get(-1) as Element).innerHTML()).toBe('Tickets are non-refundable.');
    expect(kids.get(5)).toBeUndefined();
    expect(kids.get(-5)).toBeUndefined();
    const arr = doc().find('p').toArray();
    expect(arr).toHaveLength(2);
    expect(arr[1]?.size()).toBe(1);
    expect(arr[1]?.text()).toBe('Arrives 09:40');
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
    expect(doc().find('h1').attr('id')).toBe('masthead');
    expect(doc().find('h1').attr('class')).toBeUndefined();
    expect(doc().find('h1').attr('class', 'default')).toBe('default');
    expect(doc().find('nothing').attr('id')).toBeUndefined();
  });

  it('html() is the first node\'s inner HTML, "" for an empty selection', () => {
    expect(doc().find('h1').html()).toBe('Ferries today');
    expect(doc().find('select').html()).toContain('<option value="lower deck">lower</option>');
    expect(doc().find('nothing').html()).toBe('');
  });

  it('data() converts numbers that print back the same, JSON, booleans, and maps names like k6', () => {
    const h1 = doc().find('h1');
    expect(h1.data('route')).toBe('north');
    expect(h1.data('berth-no')).toBe(42);
    expect(h1.data('berthNo')).toBe(42);
    expect(h1.data('top-knots')).toBe(12.5);
    // Numbers only when Go's FormatFloat(v, 'f', -1) prints the text back: "7.1" and "30000" differ.
    expect(h1.data('code-a')).toBe('7.10');
    expect(h1.data('code-b')).toBe('3e04');
    expect(h1.data()).toEqual({ route: 'north', berthNo: 42, topKnots: 12.5, codeA: '7.10', codeB: '3e04' });
    const p = doc().find('p');
    expect(p.data('on-time')).toBe(true);
    expect(p.data('onTime')).toBe(true);
    expect(p.data('delay')).toBeUndefined();
    expect((p.data('cfg') as { pier: number }).pier).toBe(9);
    expect((p.data() as Record<string, unknown>).shipURL).toBe('/m/4'); // Go's initialisms, not jQuery's shipUrl
    expect(p.data('shipURL')).toBe('/m/4');
    expect(doc().find('footer').data()).toBeUndefined();
  });

  it('val() of inputs, selects (single and multiple), options and textareas', () => {
    const d = doc();
    expect(d.find('#passenger').val()).toBe('M. Okafor');
    expect(d.find('#deck option[selected]').val()).toBe('upper deck');
    expect(d.find('#deck').val()).toBe('upper deck');
    expect(d.find('#cabin').val()).toBe('window cabin');
    expect(d.find('#meals').val()).toEqual(['lunch', 'supper']);
    expect(d.find('#notes').val()).toBe('Travelling with a bicycle');
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
    const opts = doc().find('#meals option');
    const r = opts.each((i: number, el: Element) => void seen.push(`${i}:${el.innerHTML()}`));
    expect(r).toBe(opts);
    expect(seen).toEqual(['0:breakfast', '1:lunch', '2:supper']);
    expect(opts.map((_i: number, s: Selection) => s.text())).toEqual(['breakfast', 'lunch', 'supper']);
    expect(doc().find('#meals').map((_i: number, s: Selection) => s.attr('name'))).toEqual(['meals']);
    expect(() => opts.each('')).toThrow(/the argument to each\(\) must be a function/);
    expect(() => opts.map('')).toThrow(/the argument to map\(\) must be a function/);
  });

  it('an exception of an each() callback stops it as k6\'s GoError `the function passed to each() failed: …`, also after a blocking call, but not an interrupt', async () => {
    const boom = new Error('boom');
    boom.stack = 'Error: boom\n    at check (/s/main.js:3:9)\n    at /s/main.js:5:20';
    const seen: number[] = [];
    const thrown = (() => {
      try {
        doc().find('#meals option').each((i: number) => { seen.push(i); if (i === 1) throw boom; });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(seen).toEqual([0, 1]);
    expect(thrown?.name).toBe('GoError');
    // sobek's Exception.Error(): the value's text, then its first frame (the stack mapper writes it as k6 does).
    expect(thrown?.message).toBe(`the function passed to each() failed: Error: boom at ${framePart('check (/s/main.js:3:9)')}`);
    expect(() => doc().find('p').each(() => { throw 'plain'; })).toThrow(/^the function passed to each\(\) failed: plain$/);
    const later = doc().find('p').each(() => markBlocking(Promise.reject(new Error('failed later'))));
    expect(isBlocking(later)).toBe(true);
    await expect(later).rejects.toMatchObject({ name: 'GoError', message: expect.stringMatching(/^the function passed to each\(\) failed: Error: failed later/) });
    const stop = new VuInterrupt('interrupted');
    expect(() => doc().find('p').each(() => { throw stop; })).toThrow(stop);
  });

  it('map() leaves out a node whose callback throws, as k6 does, also after a blocking call, but not on an interrupt', async () => {
    const opts = doc().find('#meals option');
    expect(opts.map((i: number, s: Selection) => {
      if (i === 1) throw new Error('not this one');
      return s.text();
    })).toEqual(['breakfast', 'supper']);
    const later = opts.map((i: number, s: Selection) => (i === 0 ? markBlocking(Promise.reject(new Error('failed later'))) : s.text()));
    expect(isBlocking(later)).toBe(true);
    expect(await later).toEqual(['lunch', 'supper']);
    const stop = new VuInterrupt('interrupted');
    expect(() => opts.map(() => { throw stop; })).toThrow(stop);
  });

  it('a callback that blocks turns each/map/filter/is into a blocking promise that keeps the order', async () => {
    const order: string[] = [];
    const later = <T>(v: T): Promise<T> => markBlocking(new Promise<T>((resolve) => setTimeout(() => resolve(v), 5)));
    const opts = doc().find('#meals option');

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
    expect(await mapped).toEqual(['BREAKFAST', 'lunch', 'supper']);

    const filtered = opts.filter((i: number) => later(i !== 1));
    expect(isBlocking(filtered)).toBe(true);
    expect(((await filtered) as Selection).map((_i: number, s: Selection) => s.text())).toEqual(['breakfast', 'supper']);

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
