"""Hand-kept word lists for the name rules (people.py, lexicon.py).

Names of origins that neither deduce nor Faker ships (Eritrean and Ethiopian,
Somali, Surinamese-Hindustani and -Javanese, Afghan, Moroccan spellings); the rule
"a capitalised word that is no Dutch word is a name" catches most others, these
lists make lower-case and sentence-initial ones safe too.
"""

# ruff: noqa: RUF001 (Turkish names are written with a dotless i)
from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


EXTRA_FIRST_NAMES: tuple[str, ...] = _words(
    """
    Tesfalem Tesfay Tesfaye Yonas Yohannes Filmon Semhar Mebrahtu Habtom Senait
    Selam Saba Luwam Mehari Mulugeta Dawit Biniam Bereket Kibrom Robel Mussie Teklay
    Eyob Yemane Aman Tsega Tsegay Hagos Ghirmay Weldu Welday Haben Winta Helen Rahel
    Feven Elsa Meron Hiwet Freweyni Kidist Tigist Abeba Almaz Aster Genet Yordanos
    Ruta Abdirahman Abdullahi Abdiaziz Abdikadir Abdiweli Hodan Hawo Faduma Ubah
    Ayaan Idil Sahra Nimco Ifrah Warsame Farah Guled Liban Mahad Mohamud Sharmarke
    Yasin Deqa Sharmila Soenita Radjesh Ravi Sunil Anjali Kavita Priya Shanti Rajesh
    Dewkoemar Ramesh Soeresh Dinesh Wiedjai Sita Lakshmi Kishan Mahinder Roshni Asha
    Rishi Sarmi Soekarno Soeparman Sriwati Wagimin Paiman Sarinah Poniem Satinah
    Soeratin Khadija Fatiha Latifa Samira Naima Malika Hanane Ikram Nouhaila Zineb
    Soukaina Hajar Houda Saida Rachida Najat Mimoun Mohamed Mohammed Mouad Younes
    Youssef Hamza Bilal Anouar Ayoub Achraf Soufiane Zakaria Redouan Abdelkader
    Abdelhak Abdellah Farida Zahra Mariam Parwin Gulalai Nilofar Zarghuna Wahid
    Jawad Farhad Nazir Sediqa Massoud Ahmad Mahmoud Rasha Lina Rania Hiba Nour Yara
    Dima Hala Bassel Tarek Fadi Ghassan Khaled Omar Walid Ziad Jamal Issa Eyad Yazan
    Kinan Mouhamad Olena Oksana Iryna Nataliia Tetiana Yuliia Andrii Oleksandr
    Mykola Dmytro Bohdan Agnieszka Małgorzata Katarzyna Grzegorz Krzysztof Wojciech
    Przemysław Łukasz Dariusz Zbigniew Piotr Paweł Tomasz Marek Jolanta Bożena Ewa
    Dorota Beata Ayşe Emine Fatma Hatice Zeynep Elif Büşra Mehmet Mustafa Hüseyin
    Hasan Burak Emre Oğuz Yusuf Osman Kemal Serkan Gökhan Cem Tuncay Ümit Gülsen
    Songül Nurcan
    Plamen Stoyan Dimitar Ivaylo Georgi Hristo Nikolay Todor Petar Vasil Yordan
    Svetoslav Stefan Krasimir Lyubomir Tsvetan Kaloyan Desislava Tsvetelina Gergana
    Radostina Milena Snezhana Yordanka Rumyana Vesela Galina Mariya Boryana Teodora
    Costel Florin Ionut Ionuț Marius Mihai Andrei Bogdan Catalin Cătălin Cosmin Dorin
    Gheorghe Vasile Ionela Ramona Mirela Loredana Andreea Ioana Alina Denisa Claudiu
    Sorin Nicolae Daniela Florentina Georgiana Madalina Mădălina Roxana Valentin Ovidiu
    Chidi Chinedu Emeka Obinna Ngozi Chioma Adaeze Oluwaseun Tunde Babatunde Femi Kemi
    Funmilayo Yetunde Chiamaka Nnamdi Ifeanyi Uchenna Kwame Kofi Kwabena Akosua Abena
    Ama Yaw Esi Efua Kojo Adjoa Nana Ebo
    Hersi Ayan Fartun Hibo Amran Qali Sucaad Muna Bashir Abdirizak Abdiwahab Anab
    Shukri Sagal Sadia Xaawo Caasha Cabdi Maxamed
    Wytske Sjoerd Oebele Hylke Tjitske Sytske Jelle Wiebe Freerk Baukje Geeske Jikke
    Sietske Auke Douwe Gerbrich Hiltje Klaas Tjeerd Wietske Anneke Fokje Rinse Sybren
    Xiaoyan Xiaoming Xiaoli Xiaohong Xiaowei Jianhua Jianguo Weiwei Lili Meiling
    Yuxuan Zihan Haoran Yiming Zhiwei Jiayi Jing Mei Ling Hui Yan Xin Lei Jun Qiang
    Fang Min Hua Ying Wen Tao Hong Xiu Zhen Ming Yun Hao Ying
    Olha Halyna Kateryna Mariia Viktoriia Svitlana Nataliya Liudmyla Taras Serhii
    Serhiy Yurii Vasyl Volodymyr Andriy Oleh Ihor Maksym Artem Vitalii Roman Bohdana
    Shurendy Jurgen Jurensley Rignald Giovanni Sharlon Shaquille Jearaldine Sirdly
    Jurby Ruthsella Ritchelly Glenroy Winston Marlon Rudsel Kenrick Roshnie Sunita
    Wahidullah Habibullah Zabihullah Najibullah Rahmatullah Shabnam Mursal Freshta
    Fereshta Mina Laila Zarmina Sohail Jawed Hamid Karim Rahim Nasrin Nilufar
    Bayu Dewi Sri Wulan Agus Budi Eko Putri Ratna Yuni Rini Wati Surya Hendra
    Kasia Basia Gosia Zosia Ola Tomek Bartek Kuba Wojtek Jacek Marcin Kamil Mateusz
    Szymon Natalia Weronika Justyna Magda Monika Iwona Renata Grażyna Halina Krystyna
    """
)

EXTRA_SURNAMES: tuple[str, ...] = _words(
    """
    Kidane Tesfay Tekle Habte Berhane Ghebremedhin Ghebreyesus Gebremariam Haile
    Woldemariam Tewelde Kahsay Negash Asfaha Mehari Zerai Andemariam Yohannes
    Warsame Abdi Farah Hassan Mohamud Jama Ali Osman Egal Nur Aden Dirie Hirsi
    Ramdin Ramcharan Bhagwandin Ramlal Soekhlal Jagessar Mahabier Sewtahal Ramsaran
    Jhinkoe Kalloe Mathoera Kromodimedjo Sastrodikromo Karijopawiro Pawirodirjo
    Wijngaarde Pinas Sedney Held Vlijter Kanhai Biharie Doerga Debipersad Ramautar
    Bouzid Azzouzi Ouali Chaoui Haddou Amrani Idrissi Boukhari Ouahabi Benali
    Aboutaleb Bakkali Bouali Tahiri Ouazzani Charif Bennani Alaoui Kharbouch
    Haddouchi Al-Khatib Darwish Masri Haddad Khoury Hamdan Nassar Saleh Haj Shami
    Halabi Kovalenko Shevchenko Bondarenko Tkachenko Kravchenko Melnyk Boyko Popescu
    Kowalczyk Wiśniewska Wiśniewski Zieliński Nowak Kowalski Lewandowski Pawlak
    Öztürk Yılmaz Yilmaz Kaya Demir Çelik Şahin Yıldız Aydın Özdemir Arslan Doğan
    Ahmadi Hosseini Rahimi Karimi Sultani Popal Stanekzai Wardak
    Stoyanova Stoyanov Dimitrov Dimitrova Georgiev Georgieva Ivanov Ivanova Petrov
    Petrova Nikolov Nikolova Todorov Todorova Hristov Hristova Yordanov Angelov
    Popa Ionescu Stan Dumitru Stoica Lungu Munteanu Constantin Gheorghe Rusu Matei
    Ciobanu Moldovan Marin Tudor Florea Dinu Radu Neagu Cristea Enache Dobre Lazar
    Okafor Adeyemi Okonkwo Nwosu Eze Obi Okeke Adebayo Oyelaran Mensah Boateng Owusu
    Asante Appiah Darko Agyeman Osei Ofori Acheampong
    Hersi Warsame Ahmed Yusuf Ismail Guleid Abdulle Samatar Elmi Duale Jimale Hussein
    Noorzai Ahmadzai Stanikzai Popalzai Hotak Durrani Safi Nazari Sadat Hashimi
    Amiri Haidari Mohammadi Rezai Sharifi Jalali Qaderi Naseri Azizi Habibi
    Postma Hoekstra Dijkstra Bosma Wiersma Veenstra Zijlstra Terpstra Kingma Hiemstra
    Visser Jellema Faber Tuinstra Sikkema Wijnja Haitsma Boersma Kuipers Brouwer
    Zhou Wang Li Zhang Liu Chen Yang Huang Zhao Wu Xu Sun Zhu Hu Guo Lin Luo
    Gao Zheng Liang Xie Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong
    Yuan Cai Jiang Yu Cheng Wei Su Lu Shen Yao Jin Tan Tjoa Tjon
    Liem Oei Kwee Lie Goei Tan Njoo Kho
    Kovalchuk Kovalenko Savchenko Marchenko Rudenko Lysenko Moroz Koval Polishchuk
    Oliinyk Hnatiuk Boiko Kravets Shevchuk Tkachuk Pavlenko Petrenko Kuzmenko
    Martina Statia Sambo Cijntje Rosalia Isenia Doran Janga Pieternella Maduro
    Felida Martis Wawoe Muskiet Chin Sie Tjin Fong Lo-A-Njoe Kartosen Sardjoe
    Wijaya Santoso Kusuma Setiawan Hidayat Gunawan Susanto Pratama Saputra Nugroho
    Nguyen Tran Pham Hoang Huynh Phan Vu Vo Dang Bui Ngo Duong Ly
    """
)

# Words that are first names in some list and also ordinary Dutch words, checked by
# hand: as ordinary words they stay, unless a title or family word stands before them.
NAME_WORDS: frozenset[str] = frozenset(
    _words(
        """
    aard ad adem soos age ai allen alpha angel armen art atlas august baan baby bars bas
    beer ben bent beren berg bergen bin bird bloem blue boel boy brand branden bruin
    buck can cars case cent christen co constant daily date day delta di dia dien
    dik dom don door duurt echo ed engel erin fan fee feite fine flora forum fox
    gaven gay general golden green gulden gun ha hal ham han hang hart haven heide
    helder ho hoop hope hou isis jan jarig jazz jet job joy junior just kader kas
    ken kerst kick king kip klas koop kort lam lei lente les lex li lieve line long
    lot lotus lucky lumen maan maas maatje mac made malen marine mark master mat may
    mee metro mina mini missie mist mo moe moon nader nadien nam nat normen north
    nova olie orange oren ouwe parel park peer pier pink press prima prince queen
    raden ram rand ras reed richt rico riet rijk river rock roll roos rose santa
    semi server seven silver sint skip sky sla sonny spring star steen stone storm
    summer sun take tal talen thai tiny ton tong toon true val ver villa vlinder vos
    vrouwtje wil will wilt win winter witte young zak zilver zomer zonne zusje zwaan
    zweer
    """
    )
)

# Proper nouns in signals that are no person: nationalities and their adjectives,
# languages, faiths, holidays, weekdays, months, apps and brands.
NOT_PEOPLE: tuple[str, ...] = _words(
    """
    Marokkaan Marokkaanse Marokkanen Turk Turkse Turken Pool Poolse Polen Syriër
    Syrische Syriërs Eritreeër Eritrese Eritreeërs Surinamer Surinaamse Surinamers
    Surinaams Antilliaan Antilliaanse Antillianen Somaliër Somalische Afghaan
    Afghaanse Iraakse Iraanse Koerdische Oekraïner Oekraïense Oekraïners Roemeen
    Roemeense Bulgaar Bulgaarse Hongaarse Litouwse Letse Portugese Spaanse
    Italiaanse Griekse Bosnische Servische Kroatische Albanese Chinese Vietnamese
    Indiase Hindoestaanse Javaanse Molukse Kaapverdiaanse Ghanese Nigeriaanse
    Ethiopische Soedanese Jemenitische Afghaans Marokkaans Syrisch Eritrees Iraaks
    Iraans Somalisch Koerdisch Ethiopisch Oekraïens Russisch Roemeens Bulgaars
    Hongaars Chinees Vietnamees Indiaas Indonesisch Ghanees Nigeriaans Antilliaans
    Kaapverdisch Braziliaans Colombiaans Venezolaans Soedanees Jemenitisch Nederlander Nederlanders Nederlandse
    Hollandse Friese Belgische Duitse Engelse Franse Europese Afrikaanse Arabische
    Aziatische Islamitische Christelijke Joodse Hindoe Hindoestaan Moslim Moslims
    Christen Christenen Jood Joden Allah Islam God Jezus Bijbel Koran Ramadan
    Suikerfeest Offerfeest Kerst Kerstmis Pasen Pinksteren Sinterklaas Koningsdag
    Divali Holi Keti Koti Nieuwjaar Oud Iftar Eid Maandag Dinsdag Woensdag Donderdag
    Vrijdag Zaterdag Zondag Januari Februari Maart April Mei Juni Juli Augustus
    September Oktober November December WhatsApp Facebook Instagram TikTok Snapchat
    Telegram Signal Twitter Google Marktplaats DigiD MijnOverheid Teams Zoom Netflix
    Ziggo KPN Vodafone Eneco Vattenfall Essent Randstad Tempo-Team Uitzendbureau
    Gemeente Wijkteam Corporatie Nederland Europa Afrika Azië Amerika Noord Zuid
    Oost West Centrum Zaandam Hoorn Volendam Edam Bermuda-driehoek Rood-Wit Present
    Warenhuis Trefpunt Ankertje Boog Slenk Markt English Dutch Arabic French German
    Turkish Polish Spanish Portuguese Russian Kerkplein Dorpsstraat Mijn Ons Onze
    Jullie Hun Zijn Haar Ik Wij Zij Hij
    """
)

# After these words a capitalised name is a place or an organisation.
ORGANISATION_HEADS: frozenset[str] = frozenset(
    _words(
        """
    apotheek basisschool bibliotheek bso buurtcentrum buurthuis buurtkamer café
    camping clubhuis college complex dorpshuis flat gemeenschapshuis hofje
    huisartsenpraktijk huiskamer inloophuis jongerencentrum kerk kinderboerderij
    kinderdagverblijf kringloop kringloopwinkel lyceum moestuin moskee opvang park
    peuterspeelzaal praktijk restaurant school speeltuin sportclub sporthal
    sportvereniging stichting synagoge taalhuis tempel theater tuin vereniging
    verpleeghuis verzorgingshuis voetbalclub voetbalvereniging volkstuin wijkcentrum
    wijkkamer winkelcentrum wooncomplex woonzorgcentrum ziekenhuis zorgcentrum
    zwembad
    """
    )
)

# A verb right after a sentence-initial word that says it is a person
# ("Riet woont", "Door vertelt"); third person singular, present and past.
PERSON_VERBS: frozenset[str] = frozenset(
    _words(
        """
    belde belt dacht denkt drinkt dronk durfde durft helpt hielp hoopt hoopte huilde
    huilt kende kent klaagde klaagt kreeg krijgt lacht lachte leefde leeft liep
    loopt meldde meldt organiseert rookt runt slaapt sliep sprak spreekt vertelde
    vertelt voelde voelt vraagt vroeg wacht wachtte werkt werkte wil wilde woonde
    woont zat zegt zei zit zocht zoekt zorgde zorgt
    """
    )
)


# Finite verbs (third person singular, present and past) that follow a person as the
# subject: "Roos heeft", "Bakker kan", "Noor gaat". Weaker than PERSON_VERBS (a thing
# "is" or "heeft" too), so only after a word that is a known name; regular forms in -t
# are recognised by their infinitive (lexicon.is_finite_verb).
FINITE_VERBS: frozenset[str] = PERSON_VERBS | frozenset(
    _words(
        """
    is was heeft had kan kon wil wilde moet moest mag mocht gaat ging komt kwam doet
    deed zal zou staat stond ligt lag blijft bleef wordt werd krijgt kreeg weet wist
    ziet zag eet at leest las schrijft schreef geeft gaf neemt nam brengt bracht
    houdt hield rijdt reed vindt vond begint begon spreekt sprak zwijgt komt gaat
    heeft hebben zijn zijn speelt speelde slaapt sliep draait draaide maakt maakte
    mist miste betaalt betaalde verdient verdiende kookt kookte past paste haalt
    haalde snapt snapte begrijpt begreep schreeuwt schreeuwde valt viel loopt liep
    fietst fietste vertrekt vertrok verhuist verhuisde zorgt zorgde
    """
    )
)
