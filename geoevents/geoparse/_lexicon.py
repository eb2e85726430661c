"""Word lists the recognizer uses: cue words, stop words, person titles, feature ranks.

These are general English (and transliterated Arabic) usage, not names taken from any corpus:
a list entry must be true of news text in general. Keys are lower case.
"""

from __future__ import annotations

__all__ = [
    "COMMON_WORDS",
    "CONNECTORS",
    "DIRECTION_WORDS",
    "NON_PLACE_FOLLOWERS",
    "NOT_PLACES",
    "NOT_PLACE_PHRASES",
    "ORG_FOLLOWERS",
    "PERSON_NAMES",
    "PERSON_TITLES",
    "PLACE_CUES_BEFORE",
    "PLACE_TYPE_AFTER",
    "SPEECH_VERBS",
]

# Lower-case words allowed inside a multi-word name ("Isle of Man", "Rio de Janeiro").
CONNECTORS = frozenset(
    "of de del della di da do dos das du des la le les el al ad an ar as ash at az ul ud "
    "bin ibn bint abu upon on the y e en im am an der den und sur "
    # Arabic article as French/English transliterations write it ("Deir ez Zor", "Aïta ech Chaab")
    "ez es esh ech ej er et ed "
    # merged units named "A and B": "Sistan and Baluchestan", "Chaharmahal and Bakhtiari"
    "and".split()
)

# Prepositions and phrases that make the next capitalized word likely a place.
PLACE_CUES_BEFORE = frozenset(
    "in near at from to into across outside throughout around toward towards via through "
    "inside within between outskirts visit visited visiting reach reached entering entered "
    "born based resident residents downtown town city village capital province governorate "
    "district state county region border borders north south east west northeast northwest "
    "southeast southwest northern southern eastern western central".split()
    # news verbs whose object is usually a place: "struck Al-Qaim", "shelled Deir ez-Zor"
    + "struck hit hits strike strikes striking attacked attack bombed bombing shelled shelling "
    "targeted targeting raided stormed captured seized recaptured liberated fled evacuated "
    "reached besieged".split()
    # Arabic: in, near, city, governorate, district, subdistrict, from, to, north/south/east/west
    + "في قرب بالقرب مدينة مدينه محافظة محافظه قضاء ناحية ناحيه من الى إلى شمال جنوب شرق غرب".split()
)

# A word right after a span that makes it a place ("Anbar province", "Fulton County").
PLACE_TYPE_AFTER = {
    "province": "A",
    "governorate": "A",
    "district": "A",
    "county": "A",
    "parish": "A",
    "state": "A",
    "region": "",
    "prefecture": "A",
    "oblast": "A",
    "municipality": "A",
    "subdistrict": "A",
    "borough": "A",
    "township": "A",
    "lga": "A",  # Nigeria's local government areas (ADM2)
    "emirate": "A",
    "department": "A",
    "city": "P",
    "town": "P",
    "village": "P",
    "neighborhood": "P",
    "neighbourhood": "P",
    "suburb": "P",
    "area": "",
    "camp": "P",
    "airbase": "S",
    "airport": "S",
    "base": "S",
    "airfield": "S",
    "crossing": "S",
    "river": "H",
    "lake": "H",
    "sea": "H",
    "bay": "H",
    "valley": "T",
    "mountains": "T",
    "mountain": "T",
    "desert": "T",
    "island": "T",
    "islands": "T",
    "peninsula": "T",
}

DIRECTION_WORDS = frozenset(
    "north south east west northern southern eastern western central northeast northwest "
    "southeast southwest northeastern northwestern southeastern southwestern upper lower "
    "greater new old downtown metro mid middle inner outer west-central east-central "
    "north-central south-central".split()
)

# Titles and roles that precede a person's name: "President Jackson", "Gen. Sherman".
PERSON_TITLES = frozenset(
    "mr mrs ms miss dr prof president sen senator rep representative gov governor judge "
    "justice officer sgt sergeant lt lieutenant capt captain col colonel gen general maj major "
    "adm admiral cpl corporal pvt private coach rev reverend father pastor bishop sheikh "
    "shaykh imam king queen prince princess lord lady sir dame mayor minister secretary "
    "chancellor premier deputy detective det trooper chief sheriff attorney councilman "
    "councilwoman commissioner ambassador spokesman spokeswoman pope st. brother sister "
    "uncle aunt cousin son daughter wife husband mother dad mom grandson granddaughter "
    "superintendent principal professor dean chairman chairwoman ceo director manager "
    "actor actress singer player quarterback pitcher striker defender midfielder "
    "goalkeeper forward guard".split()
)

SPEECH_VERBS = frozenset(
    "said says say told tells added added, announced stated wrote argued claimed insisted "
    "explained noted warned denied admitted replied asked believes thinks recalled testified "
    "pleaded agreed continued wants wanted decided".split()
)

# Capitalized words after a span that turn it into an organisation or a person's name.
ORG_FOLLOWERS = frozenset(
    "post times herald tribune journal gazette globe chronicle news daily press inquirer "
    "examiner observer sentinel courier star sun telegraph register review magazine "
    "university college institute school academy hospital clinic company corp corporation "
    "inc ltd llc group bank fund foundation association society council club church "
    "cathedral mosque temple party team fc united rangers rovers city's senators "
    "rockets bulls lakers giants jets eagles cowboys packers bears lions tigers "
    "symphony orchestra theatre theater museum gallery zoo mall hotel resort "
    "records studios pictures airlines airways railways motors energy oil gas "
    "police sheriff's fire department office dept court war wars house senate assembly "
    "legislature airport station bridge road street avenue boulevard drive lane highway "
    "building center centre stadium arena square park".split()
)

# Capitalized words that are also place names but, in news text, almost never mean the place.
NOT_PLACES = frozenset(
    """
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday jan feb mar apr jun jul aug sep sept
    oct nov dec mon tue wed thu fri sat sun today tomorrow yesterday
    of man police university college church street road avenue center centre hospital
    school office court house home city town state county district province region village
    government ministry army navy force forces air president minister council congress senate
    parliament republic kingdom union federal national international
    god christ jesus lord allah bible koran quran
    hezbollah hamas taliban isis isil daesh al-qaeda qaeda houthis houthi pkk ypg sdf
    internet facebook twitter google apple amazon microsoft youtube instagram reuters
    associated press afp ap bbc cnn
    mr mrs ms dr st north south east west
    i a an the this that these those it its he she we they you my our his her their
    but and or if so as at by for from in into on onto to with without about after before
    during since until while when where which who whom whose why how what all any both each
    few more most other some such no nor not only own same than too very can will just should
    now then there here also again once one two three four five six seven eight nine ten
    first second third last next new old good great little big long high low small large
    early late young major general best better many much several
    attorney deputy judge officer sergeant captain senator governor mayor chief
    christmas easter thanksgiving ramadan eid halloween
    am pm a.m. p.m. gmt utc est edt cst cdt pst pdt bst cet cest eet eest msk noon midnight
    tonight weekend morning afternoon evening night island islands
    english french spanish german arabic
    i'm i’m i'll i’ll i've i’ve i'd i’d im
    sen rep sgt lt gen gov col capt cpl jr sr inc co corp ltd llc dept no nos vol
    northwest northeast southwest southeast northern southern eastern western central regional
    metro web gulf white-house capitol
    sunni shia shiite kurd kurdish
    """.split()
)

# Frequent English words that are also capitalized place names somewhere (Reading, Bath, Sale,
# Hope, Mobile, Independence ...). Sentence-initially or in headlines such a word is weak
# evidence; it still counts if a cue word or a strong gazetteer entry backs it.
COMMON_WORDS = frozenset(
    """
    about above according across act action add after again against age ago agree ahead aid aim air
    all allow almost alone along already also although always among amount and another answer any
    anyone anything appear apply area argue arm around arrive art article as ask attack attend
    authority available avoid away baby back bad ball bank bar base basis bath be bear beat beautiful
    because become bed before begin behind believe best better between beyond bill bit black blood
    blue board body book born both box boy break bring brother brown build building business but buy
    by call camp campaign can cancer candidate capital car card care career carry case catch cause
    cell central century certain chair challenge chance change charge check child choice choose
    church citizen city civil claim class clear close coach cold collection college color come
    commercial common community company compare computer concern condition conference consider
    contain continue control cost could country couple course court cover create crime cultural
    culture cup current customer cut dark data daughter day dead deal death debate decade decide
    decision deep defense degree democrat describe design despite detail determine develop
    development die difference different difficult dinner direction discover discuss disease do
    doctor dog door down draw dream drive drop drug during each early east easy eat economic economy
    edge education effect effort eight either election else employee end energy enjoy enough enter
    entire environment environmental especially establish even evening event ever every everybody
    everyone everything evidence exactly example executive exist expect experience expert explain
    eye face fact factor fail fall family far fast father fear federal feel feeling few field fight
    figure fill film final finally financial find fine finger finish fire firm first fish five floor
    fly focus follow food foot for force foreign forget form former forward four free friend from
    front full fund future game garden gas general generation get girl give glass go goal good
    government great green ground group grow growth guess gun guy hair half hand hang happen happy
    hard have he head health hear heart heat heavy help her here herself high him himself his
    history hit hold home hope hospital hot hotel hour house how however huge human hundred husband
    idea identify if image imagine impact important improve in include including increase indeed
    independence indicate individual industry information inside instead institution interest
    interesting international interview into investment involve issue it item its itself job join
    just justice keep key kid kill kind kitchen know knowledge land language large last late later
    laugh law lawyer lay lead leader learn least leave left leg legal less let letter level liberty
    lie life light like likely line list listen little live local long look lose loss lot love low
    machine magazine main maintain major majority make man manage management manager many market
    marriage material matter may maybe me mean measure media medical meet meeting member memory
    mention message method middle might military million mind minute miss mission model modern
    moment money month more morning most mother mouth move movement movie much music must my myself
    name nation national natural nature near nearly necessary need network never new news newspaper
    next nice night no none nor north not note nothing notice now number occur of off offer office
    officer official often oh oil ok old on once one only onto open operation opportunity option or
    order organization other others our out outside over own owner page pain painting paper parent
    part participant particular particularly partner party pass past patient pattern pay peace
    people per perform performance perhaps period person personal phone physical pick picture piece
    place plan plant play player point police policy political politics poor popular population
    position positive possible power practice prepare present president pressure pretty prevent
    price private probably problem process produce product production professional professor
    program project property protect prove provide public pull purpose push put quality question
    quickly quite race radio raise range rate rather reach read reading ready real reality realize
    really reason receive recent recently recognize record red reduce reflect region relate
    relationship religious remain remember remove report represent republican require research
    resource respond response rest result return reveal rich right rise risk road rock role room
    rule run safe sale same save say scene school science scientist score sea season seat second
    section security see seek seem sell send senior sense series serious serve service set seven
    several shake share she shoot short shot should shoulder show side sign significant similar
    simple simply since sing single sister sit site situation six size skill skin small smile so
    social society soldier some somebody someone something sometimes son song soon sort sound source
    south southern space speak special specific speech spend sport spring staff stage stand standard
    star start state statement station stay step still stock stop store story strategy street strong
    structure student study stuff style subject success successful such suddenly suffer suggest
    summer support sure surface system table take talk task tax teach teacher team technology
    television tell ten tend term test than thank that the their them themselves then theory there
    these they thing think third this those though thought thousand threat three through throughout
    throw thus time to today together tonight too top total tough toward town trade traditional
    training travel treat treatment tree trial trip trouble true truth try turn tv two type under
    understand union unit until up upon us use usually valley value various very victim view
    violence visit voice vote wait walk wall want war watch water way we weapon wear week weight well
    west western what whatever when where whether which while white who whole whom whose why wide
    wife will win wind window wish with within without woman wonder word work worker world worry
    would write writer wrong yard yeah year yes yet you young your yourself
    hope mobile independence liberty victory unity concord harmony paradise eden goodyear
    energy enterprise commerce industry progress providence friendship welcome success
    """.split()
)

# Multi-word names that are places in some gazetteer but in news are a region without a
# point ("Middle East"), a building used for its occupant, or an event.
NOT_PLACE_PHRASES = (
    "Middle East",
    "White House",
    "Gulf War",
    "Persian Gulf War",
    "Cold War",
    "World War",
    "Wall Street",
    "Capitol Hill",
    "Downing Street",
)

# Lower-case words after a name that make it a person, party or government, not a place:
# "the Biden administration", "the Assad regime".
NON_PLACE_FOLLOWERS = frozenset(
    "administration regime government's campaign family cabinet presidency era doctrine "
    "supporters loyalists".split()
)

# Very common English given names and surnames that are also the names of small places. Used
# alone they are far more often people; a cue word ("in Nelson") or a qualifier still wins.
PERSON_NAMES = frozenset(
    """
    james john robert michael william david richard joseph thomas charles christopher daniel
    matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy
    ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott
    brandon benjamin ben samuel gregory frank alexander raymond patrick jack dennis jerry tyler
    aaron jose adam henry nathan douglas zachary peter kyle walter ethan jeremy harold keith
    christian roger noah gerald carl terry sean  arthur lawrence jesse dylan bryan joe
     billy bruce albert willie gabriel logan alan juan wayne roy ralph randy eugene vincent
    russell elijah louis bobby philip johnny mary patricia jennifer linda elizabeth barbara susan
    jessica sarah karen nancy lisa betty margaret sandra ashley kimberly emily donna michelle
    dorothy carol amanda melissa deborah stephanie rebecca sharon laura cynthia kathleen amy
    shirley angela helen anna brenda pamela nicole emma samantha katherine christine debra
    rachel catherine carolyn janet ruth maria heather diane  julie joyce  olivia
    kelly christina lauren joan evelyn judith megan cheryl andrea hannah martha jacqueline
    frances gloria ann teresa kathryn sara janice jean alice  doris abigail julia judy
    grace denise amber marilyn beverly danielle theresa sophia marie diana brittany natalie
    isabella  rose alexis kayla hailey haley mason
    smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez
    gonzalez wilson anderson taylor moore  martin lee perez thompson white harris
    sanchez clark ramirez lewis robinson walker young allen king wright torres nguyen hill
    flores green adams nelson baker hall rivera campbell mitchell carter roberts gomez phillips
    evans turner diaz parker cruz edwards collins reyes stewart morris morales murphy cook
    rogers gutierrez ortiz morgan cooper peterson bailey reed kelly howard ramos kim cox ward
    richardson watson brooks chavez wood bennett gray mendoza ruiz hughes price alvarez
    castillo sanders patel myers long ross foster jimenez powell jenkins perry russell sullivan
    bell coleman butler henderson barnes fisher vasquez simmons romero  patterson
    alexander  graham reynolds griffin wallace moreno west cole hayes bryant herrera
    gibson ellis tran medina aguilar stevens murray ford castro marshall owens harrison
    fernandez mcdonald woods   wells vargas henry chen freeman webb tucker
    guzman burns crawford olson simpson porter hunter gordon mendez silva shaw snyder mason
    dixon munoz hunt hicks holmes palmer wagner black robertson boyd rose stone salazar fox
    warren mills meyer rice schmidt garza daniels ferguson nichols stephens soto weaver ryan
    gardner payne grant dunn kelley spencer hawkins arnold pierce vance lane ripley
    """.split()
)
