// Lists for k6/x/faker generators @faker-js/faker's en locale has no data for (beer, celebrities,
// errors, Minecraft, films, …). Short lists written for Stampede.

export const THING_LISTS = {
  beer: {
    beerHop: ['Cascade', 'Citra', 'Centennial', 'Saaz', 'Hallertau', 'Mosaic', 'Simcoe', 'Fuggle', 'Galaxy', 'Amarillo'],
    beerMalt: ['Pilsner', 'Munich', 'Vienna', 'Crystal', 'Chocolate', 'Black patent', 'Wheat', 'Rye', 'Pale ale', 'Caramel'],
    beerName: ['Old Harbour Ale', 'Red Fox Lager', 'Night Owl Stout', 'Golden Field Pils', 'Iron Bridge IPA', 'Mill Pond Wheat', 'Copper Kettle Bitter', 'Blue Hill Porter'],
    beerStyle: ['Pale Ale', 'India Pale Ale', 'Stout', 'Porter', 'Pilsner', 'Wheat Beer', 'Amber Lager', 'Saison', 'Bock', 'Sour Ale'],
    beerYeast: ['American Ale', 'London Ale', 'German Lager', 'Belgian Saison', 'Bavarian Wheat', 'Irish Ale', 'Czech Pilsner', 'Kolsch'],
  },
  celebrity: {
    celebrityActor: ['Meryl Streep', 'Denzel Washington', 'Tom Hanks', 'Cate Blanchett', 'Morgan Freeman', 'Viola Davis', 'Keanu Reeves', 'Judi Dench'],
    celebrityBusiness: ['Oprah Winfrey', 'Warren Buffett', 'Bill Gates', 'Indra Nooyi', 'Jack Ma', 'Richard Branson', 'Sheryl Sandberg', 'Steve Jobs'],
    celebritySport: ['Serena Williams', 'Usain Bolt', 'Lionel Messi', 'Simone Biles', 'Roger Federer', 'Michael Jordan', 'Pele', 'Nadia Comaneci'],
  },
  emoji: {
    emojiAlias: ['smile', 'laughing', 'heart', 'thumbsup', 'fire', 'rocket', 'star', 'wave', 'tada', 'coffee', 'sunny', 'cat'],
    emojiCategory: ['Smileys & Emotion', 'People & Body', 'Animals & Nature', 'Food & Drink', 'Travel & Places', 'Activities', 'Objects', 'Symbols', 'Flags'],
    emojiDescription: ['grinning face', 'red heart', 'thumbs up', 'fire', 'rocket', 'party popper', 'waving hand', 'hot beverage', 'sun', 'cat face'],
    emojiTag: ['happy', 'love', 'approve', 'hot', 'launch', 'celebrate', 'hello', 'morning', 'weather', 'pet', 'funny', 'sad'],
  },
  error: {
    error: ['syntax error', 'unexpected end of input', 'permission denied', 'resource not found', 'operation timed out', 'connection refused', 'invalid argument', 'out of memory'],
    errorObjectWord: ['protocol', 'connection', 'request', 'response', 'session', 'token', 'file', 'record', 'socket', 'buffer'],
    databaseError: ['sql error', 'duplicate key value', 'deadlock detected', 'relation does not exist', 'connection pool exhausted', 'transaction aborted', 'syntax error at or near'],
    gRPCError: ['client protocol error', 'deadline exceeded', 'unavailable', 'unimplemented', 'resource exhausted', 'permission denied', 'unauthenticated'],
    httpError: ['invalid method', 'malformed header', 'request body too large', 'unsupported media type', 'bad gateway', 'too many redirects'],
    httpClientError: ['bad request', 'unauthorized', 'forbidden', 'not found', 'method not allowed', 'request timeout', 'conflict', 'too many requests'],
    httpServerError: ['internal server error', 'not implemented', 'bad gateway', 'service unavailable', 'gateway timeout', 'insufficient storage'],
    runtimeError: ['address out of bounds', 'nil pointer dereference', 'index out of range', 'division by zero', 'stack overflow', 'invalid memory address'],
    validationError: ['missing required field', 'value too long', 'value too short', 'invalid email address', 'must be a number', 'invalid date format'],
  },
  food: {
    dessert: ['Apple pie', 'Chocolate mousse', 'Lemon tart', 'Cheesecake', 'Tiramisu', 'Rice pudding', 'Carrot cake', 'Fruit salad'],
    drink: ['Water', 'Tea', 'Coffee', 'Milk', 'Juice', 'Soda', 'Lemonade', 'Smoothie', 'Hot chocolate'],
    snack: ['Trail mix', 'Popcorn', 'Pretzels', 'Apple slices with peanut butter', 'Granola bar', 'Cheese and crackers', 'Yogurt', 'Hummus and carrots'],
  },
  internet: {
    inputName: ['first_name', 'last_name', 'email', 'password', 'username', 'phone', 'address', 'city', 'zip', 'country', 'message', 'title'],
    logLevel: ['trace', 'debug', 'info', 'notice', 'warning', 'error', 'critical', 'fatal'],
    httpVersion: ['HTTP/1.0', 'HTTP/1.1', 'HTTP/2.0'],
  },
  language: {
    languageBcp: ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'it-IT', 'pt-BR', 'ja-JP', 'zh-CN', 'ko-KR', 'nl-NL', 'pl-PL', 'sv-SE', 'ru-RU'],
    programmingLanguage: ['Go', 'JavaScript', 'TypeScript', 'Python', 'Rust', 'Java', 'C', 'C++', 'C#', 'Ruby', 'Kotlin', 'Swift', 'Haskell', 'Elixir', 'PHP', 'Scala'],
  },
  minecraft: {
    minecraftAnimal: ['chicken', 'cow', 'pig', 'sheep', 'rabbit', 'horse', 'llama', 'fox', 'turtle', 'goat'],
    minecraftArmorPart: ['helmet', 'chestplate', 'leggings', 'boots'],
    minecraftArmorTier: ['leather', 'chainmail', 'iron', 'gold', 'diamond', 'netherite'],
    minecraftBiome: ['plains', 'forest', 'desert', 'jungle', 'taiga', 'swamp', 'savanna', 'badlands', 'mushroom fields', 'ocean', 'snowy tundra'],
    minecraftDye: ['white', 'orange', 'magenta', 'light blue', 'yellow', 'lime', 'pink', 'gray', 'cyan', 'purple', 'blue', 'brown', 'green', 'red', 'black'],
    minecraftFood: ['apple', 'bread', 'baked potato', 'carrot', 'cooked beef', 'cooked chicken', 'cookie', 'melon slice', 'pumpkin pie', 'golden apple'],
    minecraftMobBoss: ['ender dragon', 'wither', 'elder guardian', 'warden'],
    minecraftMobHostile: ['zombie', 'skeleton', 'creeper', 'spider', 'witch', 'slime', 'blaze', 'ghast', 'phantom', 'husk'],
    minecraftMobNeutral: ['bee', 'wolf', 'enderman', 'iron golem', 'llama', 'panda', 'piglin', 'polar bear', 'dolphin'],
    minecraftMobPassive: ['cow', 'pig', 'sheep', 'chicken', 'villager', 'squid', 'bat', 'mooshroom', 'parrot', 'axolotl'],
    minecraftOre: ['coal', 'iron', 'copper', 'gold', 'redstone', 'lapis lazuli', 'diamond', 'emerald', 'nether quartz'],
    minecraftTool: ['pickaxe', 'axe', 'shovel', 'hoe', 'fishing rod', 'shears', 'flint and steel'],
    minecraftVillagerJob: ['farmer', 'fisherman', 'librarian', 'cleric', 'armorer', 'butcher', 'cartographer', 'fletcher', 'mason', 'shepherd'],
    minecraftVillagerLevel: ['novice', 'apprentice', 'journeyman', 'expert', 'master'],
    minecraftVillagerStation: ['composter', 'barrel', 'lectern', 'brewing stand', 'blast furnace', 'smoker', 'cartography table', 'fletching table', 'stonecutter', 'loom', 'furnace'],
    minecraftWeapon: ['sword', 'bow', 'crossbow', 'trident', 'axe'],
    minecraftWeather: ['clear', 'rain', 'thunder'],
    minecraftWood: ['oak', 'spruce', 'birch', 'jungle', 'acacia', 'dark oak', 'mangrove', 'cherry'],
  },
  movie: {
    movieName: ['The Silent Harbor', 'Midnight Express Lane', 'A Winter in Lisbon', 'The Last Lighthouse', 'Paper Moons', 'Operation Nightfall', 'The Glass Orchard', 'Return to Red Valley'],
    movieGenre: ['Action', 'Adventure', 'Animation', 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy', 'Horror', 'Mystery', 'Romance', 'Science Fiction', 'Thriller', 'Western'],
  },
  product: {
    productFeature: ['wireless', 'waterproof', 'ultra-lightweight', 'energy-efficient', 'rechargeable', 'foldable', 'smart', 'durable', 'portable', 'ergonomic'],
  },
} as const satisfies Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

export const ANIMAL_TYPES = ['mammals', 'birds', 'reptiles', 'amphibians', 'fish', 'invertebrates'];
export const FARM_ANIMALS = ['Cow', 'Pig', 'Chicken', 'Sheep', 'Goat', 'Horse', 'Duck', 'Turkey', 'Donkey', 'Llama'];
export const CAR_TRANSMISSIONS = ['Manual', 'Automatic'];
