// k6/html against pages of the local server: Response.html(), parseHTML, typed elements, forms,
// res.submitForm()/res.clickLink(), and blocking http calls inside Selection.each/map/filter callbacks.
import http from 'k6/http';
import { check } from 'k6';
import { parseHTML } from 'k6/html';

export const options = {
  vus: 2,
  iterations: 2,
  thresholds: { checks: ['rate==1'] },
};

export default function () {
  const res = http.get(`${__ENV.BASE}/pages/shop.html`);
  const doc = res.html();
  const links = doc.find('nav a');
  check(doc, {
    'title read from the response': (d) => d.find('title').text() === 'Stampede Shop',
    'html(selector) finds in the body': () => res.html('h1').text() === 'Blue widget',
    'meta content by attribute': (d) => d.find('meta[name=description]').attr('content') === 'A page for the k6/html corpus script',
    'a missing attribute is undefined': (d) => d.find('h1').attr('title') === undefined,
    'data() converts numbers': (d) => d.find('h1').data('productId') === 42 && d.find('h1').data().price === 9.5,
    'two nav links': () => links.size() === 2,
    'hrefs resolve against the response URL': () => links.get(0).href() === `${__ENV.BASE}/pages/about.html`,
    'href parts': () => links.get(1).pathname() === '/pages/contact.html' && links.get(1).search() === '?from=shop' && links.get(1).hash() === '#top',
    'list items as text': (d) => d.find('#features li').map((i, li) => li.text()).join(',') === 'fast,cheap,blue',
    'element tree': (d) => d.find('ul').get(0).childElementCount() === 3 && d.find('li').last().get(0).previousElementSibling().textContent() === 'cheap',
  });

  const order = doc.find('form#order');
  check(order, {
    'form serializes like k6 (sorted, checked boxes only)': (f) => f.serialize() === 'colour=blue&csrf=t0k3n&gift=yes&qty=1',
    'serializeObject': (f) => JSON.stringify(f.serializeObject()) === '{"csrf":"t0k3n","qty":"1","colour":"blue","gift":"yes"}',
    'select val()': (f) => f.find('select').val() === 'blue',
    'typed form element': (f) => f.get(0).method() === 'post' && f.get(0).action() === `${__ENV.BASE}/echo`,
    'button value': (f) => f.find('button').get(0).value() === 'buy',
  });

  // Blocking calls inside Selection callbacks: each() follows every link in order.
  const titles = [];
  links.each((i, a) => {
    titles.push(`${i}:${http.get(a.href()).html('title').text()}`);
  });
  check(titles, { 'each() waited for http.get in its callback': (t) => t.join('|') === '0:About the shop|1:Contact us' });

  const statuses = links.map((i, link) => http.get(link.get(0).href()).status);
  check(statuses, { 'map() returns what the blocking callbacks returned': (s) => s.length === 2 && s[0] === 200 && s[1] === 200 });

  const reachable = links.filter((i, link) => http.get(link.get(0).href()).html('title').text().startsWith('Contact'));
  check(reachable, { 'filter() keeps what the blocking callback accepted': (r) => r.size() === 1 && r.text() === 'Contact' });

  const posted = res.submitForm({ formSelector: 'form#order', fields: { qty: '3' } }).json();
  check(posted, {
    'submitForm posts the form, its submit button and the fields': (p) => p.method === 'POST' &&
      p.body === 'action=buy&colour=blue&csrf=t0k3n&gift=yes&qty=3' && p.contentType === 'application/x-www-form-urlencoded',
  });
  const searched = res.submitForm({ formSelector: '#search' }).json();
  check(searched, { 'submitForm of a GET form puts the values in the query': (p) => p.method === 'GET' && p.query === '?q=widgets' });
  const about = res.clickLink();
  check(about, {
    'clickLink follows the first link': (r) => r.html('title').text() === 'About the shop',
    'clickLink on the followed page comes back': (r) => r.clickLink({ selector: 'a' }).html().find('h1').text() === 'Blue widget',
  });

  const frag = parseHTML('<ul><li class="x">one</li><li>two</li></ul>');
  check(frag, {
    'parseHTML without a URL keeps hrefs as written': () => parseHTML('<a href="x.html">x</a>').find('a').get(0).href() === 'x.html',
    'parseHTML builds a full document': (f) => f.find('body > ul > li.x').text() === 'one',
  });
}
