import { isEventTypeName, isSourceName } from './names';

describe(isSourceName.name, () => {
  it('accepts lower-case names with dots, dashes and underscores', () => {
    expect(['checkout-web', 'billing.v2', 'a', '0day_feed'].filter(isSourceName)).toHaveLength(4);
  });

  it('refuses upper case, spaces, a leading punctuation mark and more than 63 characters', () => {
    const bad = ['Checkout', 'two words', '-web', '.hidden', 'a'.repeat(64), ''];
    expect(bad.filter(isSourceName)).toEqual([]);
  });
});

describe(isEventTypeName.name, () => {
  it('accepts dot-separated segments that start with a letter', () => {
    const good = ['order', 'order.placed', 'cart.item_added', 'a1.b2.c3'];
    expect(good.filter(isEventTypeName)).toEqual(good);
  });

  it('refuses empty segments, leading digits, dashes, upper case and more than 128 characters', () => {
    const bad = ['', 'order.', '.order', 'order..placed', '1order', 'order.1st', 'order-placed'];
    expect([...bad, 'Order', `a${'.b'.repeat(64)}`].filter(isEventTypeName)).toEqual([]);
  });
});
